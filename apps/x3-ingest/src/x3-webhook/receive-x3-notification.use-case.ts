import { Inject, Injectable, Logger } from '@nestjs/common';
import { verifyWebhookSignature } from '@pardot-x3/access';
import { InvalidSourceRecordError, parseX3Notification, x3SourceChange } from '@pardot-x3/ingestion';
import { assertUtf8Body, SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { X3_WEBHOOK_SIGNER } from '@pardot-x3/x3-connector';
import type { X3IngestConfig } from '../x3-ingest.config.js';
import { X3NotificationQueue } from './x3-notification-queue.service.js';
import { X3WebhookReplayError } from './x3-webhook-replay.error.js';
import { X3WebhookReplayStore } from './x3-webhook-replay.store.js';

export interface X3NotificationInput {
  readonly rawBody: Buffer | undefined;
  readonly body: unknown;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
}

export type X3NotificationOutcome =
  { readonly status: 'queued' } | { readonly status: 'ignored'; readonly reason: string };

/**
 * One signed change notification from Sage X3: check the signature (HMAC-SHA256 over
 * "<timestamp>.<raw body>", timestamp within the tolerance), refuse it if that signature was accepted
 * before (a replay), read and check it with the same rules as ever, and queue it durably on
 * `x3.notification.received.v1` (ADR 0130). The answer (`queued`, 202) is sent once Kafka stored it, so
 * X3 retries what was not stored (the signature is then forgotten, so the retry is not taken for a
 * replay); X3 is read and the source event published behind it, in batches, by the notification worker.
 * Throws `WebhookSignatureError` (401), a 400 for bytes that are not UTF-8, `X3WebhookReplayError`
 * (409) or `InvalidSourceRecordError` (400).
 */
@Injectable()
export class ReceiveX3NotificationUseCase {
  private readonly logger = new Logger(ReceiveX3NotificationUseCase.name);

  constructor(
    private readonly queue: X3NotificationQueue,
    private readonly replays: X3WebhookReplayStore,
    @Inject(SERVICE_CONFIG) private readonly config: X3IngestConfig,
  ) {}

  get enabled(): boolean {
    return this.config.X3_WEBHOOK_SECRET !== undefined;
  }

  async execute(input: X3NotificationInput): Promise<X3NotificationOutcome> {
    const secret = this.config.X3_WEBHOOK_SECRET;
    if (secret === undefined) throw new Error('X3 webhooks are disabled: X3_WEBHOOK_SECRET is not set');
    verifyWebhookSignature({
      signer: X3_WEBHOOK_SIGNER,
      secret,
      rawBody: input.rawBody ?? Buffer.alloc(0),
      timestamp: input.timestamp,
      signature: input.signature,
      toleranceSeconds: this.config.X3_WEBHOOK_TOLERANCE_SECONDS,
    });
    assertUtf8Body(input.rawBody);
    const signature = input.signature ?? '';
    const claim = await this.replays.claim(signature, this.config.X3_WEBHOOK_TOLERANCE_SECONDS);
    if (claim.replay) {
      this.logger.warn({ firstReceivedAt: claim.firstReceivedAt }, 'X3 notification refused: a replay');
      throw new X3WebhookReplayError(claim.firstReceivedAt);
    }
    try {
      return await this.receive(input);
    } catch (error) {
      // A notification that can never be read stays claimed; one that failed for another reason
      // (Kafka) is forgotten, so X3's retry of the same request is handled.
      if (!(error instanceof InvalidSourceRecordError)) await this.replays.release(signature);
      throw error;
    }
  }

  private async receive(input: X3NotificationInput): Promise<X3NotificationOutcome> {
    const parsed = parseX3Notification(input.body);
    if (parsed.kind === 'ignored') return { status: 'ignored', reason: parsed.reason };
    const { notification } = parsed;
    if (notification.folder !== this.config.X3_FOLDER) {
      const reason = `notification from X3 folder ${notification.folder}; this x3-ingest reads ${this.config.X3_FOLDER}`;
      this.logger.warn({ folder: notification.folder, eventId: notification.eventId }, reason);
      return { status: 'ignored', reason };
    }
    const change = x3SourceChange({
      className: notification.className,
      record: notification.record,
      via: 'WEBHOOK',
      folder: notification.folder,
      kind: notification.kind,
    });
    if (change.change.recordId !== notification.key)
      throw new InvalidSourceRecordError(`X3 ${notification.className}`, [
        `the notification names key ${notification.key} but its record is ${change.change.recordId}`,
      ]);
    await this.queue.enqueue(
      {
        notificationId: notification.eventId,
        folder: notification.folder,
        className: notification.className,
        recordId: change.change.recordId,
        changedAt: change.change.changedAt,
        receivedAt: new Date(),
        body: (input.rawBody ?? Buffer.alloc(0)).toString('utf8'),
      },
      change,
    );
    return { status: 'queued' };
  }
}
