import { ConflictException } from '@nestjs/common';

/**
 * A signed X3 notification received a second time: the webhook answers 409 with this message and
 * publishes nothing.
 */
export class X3WebhookReplayError extends ConflictException {
  constructor(readonly firstReceivedAt: Date) {
    super(
      `this signed X3 notification was already received at ${firstReceivedAt.toISOString()}: ` +
        'a replay is refused (X3 signs each delivery with a fresh X-X3-Timestamp)',
    );
    this.name = 'X3WebhookReplayError';
  }
}
