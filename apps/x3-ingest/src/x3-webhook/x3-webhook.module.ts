import { Module } from '@nestjs/common';
import { ReceiveX3NotificationUseCase } from './receive-x3-notification.use-case.js';
import { X3NotificationQueue } from './x3-notification-queue.service.js';
import { X3WebhookController } from './x3-webhook.controller.js';
import { X3WebhookReplayStore } from './x3-webhook-replay.store.js';

/**
 * X3 change notifications (BPCUSTOMER, SORDER, SDELIVERY, ITMMVT): verified, checked and queued on
 * `x3.notification.received.v1`; the notification worker turns them into source events.
 */
@Module({
  controllers: [X3WebhookController],
  providers: [ReceiveX3NotificationUseCase, X3WebhookReplayStore, X3NotificationQueue],
})
export class X3WebhookModule {}
