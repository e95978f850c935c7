import { timingSafeEqual } from 'node:crypto';
import {
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { IncomingMessage } from 'node:http';
import type { SalesforceIngestConfig } from '../salesforce-ingest.config.js';

/** `Authorization: Bearer <ORDER_CONFIRMATION_TOKEN>`, compared in constant time. */
@Injectable()
export class OrderConfirmationGuard implements CanActivate {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: SalesforceIngestConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.ORDER_CONFIRMATION_TOKEN;
    if (!expected)
      throw new ServiceUnavailableException(
        'order confirmations are not enabled: ORDER_CONFIRMATION_TOKEN is not set',
      );
    const header = context.switchToHttp().getRequest<IncomingMessage>().headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '');
    const wanted = Buffer.from(expected);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted))
      throw new UnauthorizedException('a valid bearer token is required');
    return true;
  }
}
