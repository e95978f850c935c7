import {
  BadRequestException,
  Body,
  Controller,
  Headers,
  HttpCode,
  Logger,
  Post,
  Req,
  Res,
  ServiceUnavailableException,
  UnauthorizedException,
  type RawBodyRequest,
} from '@nestjs/common';
import { InvalidSourceRecordError } from '@pardot-x3/ingestion';
import { Public } from '@pardot-x3/service-runtime';
import { WebhookSignatureError } from '@pardot-x3/access';
import { X3_SIGNATURE_HEADER, X3_TIMESTAMP_HEADER } from '@pardot-x3/x3-connector';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ReceiveX3NotificationUseCase,
  type X3NotificationOutcome,
} from './receive-x3-notification.use-case.js';

/**
 * `POST /webhooks/x3`: Sage X3 change notifications (workflow callouts), HMAC-signed. Machine-
 * authenticated by that signature (X3_WEBHOOK_SECRET; 401 when it does not verify), so no API key.
 * `202 {"status":"queued"}` once the notification is stored in Kafka (X3 is read behind it);
 * `200 {"status":"ignored","reason"}` for a class or folder pardot-x3 does not ingest.
 */
@Controller('webhooks/x3')
@Public('HMAC-signed by Sage X3 with X3_WEBHOOK_SECRET, verified by the use case')
export class X3WebhookController {
  private readonly logger = new Logger(X3WebhookController.name);

  constructor(private readonly receive: ReceiveX3NotificationUseCase) {}

  @Post()
  @HttpCode(202)
  async notify(
    @Req() request: RawBodyRequest<IncomingMessage>,
    @Res({ passthrough: true }) response: ServerResponse,
    @Body() body: unknown,
    @Headers(X3_TIMESTAMP_HEADER) timestamp: string | undefined,
    @Headers(X3_SIGNATURE_HEADER) signature: string | undefined,
  ): Promise<X3NotificationOutcome> {
    if (!this.receive.enabled)
      throw new ServiceUnavailableException('X3 webhooks are disabled: set X3_WEBHOOK_SECRET to accept them');
    try {
      const outcome = await this.receive.execute({ rawBody: request.rawBody, body, timestamp, signature });
      if (outcome.status === 'ignored') response.statusCode = 200;
      return outcome;
    } catch (error) {
      if (error instanceof WebhookSignatureError) {
        this.logger.warn({ reason: error.reason }, `X3 notification refused: ${error.message}`);
        throw new UnauthorizedException(error.message);
      }
      if (error instanceof InvalidSourceRecordError) {
        this.logger.warn({ problems: error.problems }, error.message);
        throw new BadRequestException(error.message);
      }
      throw error;
    }
  }
}
