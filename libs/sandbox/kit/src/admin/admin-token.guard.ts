import { createHash, timingSafeEqual } from 'node:crypto';
import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { ADMIN_TOKEN_HEADER, SANDBOX_ADMIN_OPTIONS } from './sandbox-admin.constants.js';
import type { SandboxAdminOptions } from './sandbox-admin.options.js';

/**
 * Lets a request in only with the sandbox's admin token in `X-Admin-Token` (401 otherwise). Systems put
 * it on their own admin controllers under /__admin/<system>/… too.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(SANDBOX_ADMIN_OPTIONS) options: SandboxAdminOptions) {
    this.expected = digest(options.token);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    const given = request.headers[ADMIN_TOKEN_HEADER];
    if (typeof given !== 'string' || given === '' || !timingSafeEqual(digest(given), this.expected)) {
      throw new UnauthorizedException(
        'the admin API needs the sandbox admin token in the X-Admin-Token header',
      );
    }
    return true;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
