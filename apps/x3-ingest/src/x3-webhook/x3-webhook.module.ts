import { Module } from '@nestjs/common';
import { SourceEventsModule } from '../source-events/source-events.module.js';
import { ReceiveX3NotificationUseCase } from './receive-x3-notification.use-case.js';
import { X3WebhookController } from './x3-webhook.controller.js';
import { X3WebhookReplayStore } from './x3-webhook-replay.store.js';

/** X3 change notifications (BPCUSTOMER, SORDER, SDELIVERY, ITMMVT) → source events. */
@Module({
  imports: [SourceEventsModule],
  controllers: [X3WebhookController],
  providers: [ReceiveX3NotificationUseCase, X3WebhookReplayStore],
})
export class X3WebhookModule {}
