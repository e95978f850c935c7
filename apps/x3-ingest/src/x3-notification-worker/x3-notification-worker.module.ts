import { Module } from '@nestjs/common';
import { SourceEventsModule } from '../source-events/source-events.module.js';
import { PublishX3NotificationsUseCase } from './publish-x3-notifications.use-case.js';
import { X3NotificationHandler } from './x3-notification.handler.js';

/** The queued X3 notifications (x3.notification.received.v1) → X3 reads in batches → source events. */
@Module({
  imports: [SourceEventsModule],
  providers: [X3NotificationHandler, PublishX3NotificationsUseCase],
})
export class X3NotificationWorkerModule {}
