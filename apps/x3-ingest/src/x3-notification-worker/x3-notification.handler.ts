import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type X3ChangeNotification } from '@pardot-x3/canonical';
import type { BatchItem } from '@pardot-x3/messaging';
import { EventConsumer, HandleEventBatch } from '@pardot-x3/messaging-nest';
import { PublishX3NotificationsUseCase } from './publish-x3-notifications.use-case.js';

/** Notifications of one partition handled together: up to this many per batch. */
export const X3_NOTIFICATION_BATCH_SIZE = 500;

/** x3-ingest.notifications: the webhook's queue, read in batches of one partition, in offset order. */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.x3IngestNotifications)
export class X3NotificationHandler {
  constructor(private readonly publish: PublishX3NotificationsUseCase) {}

  @HandleEventBatch(TOPICS.x3NotificationReceivedV1, { maxBatchSize: X3_NOTIFICATION_BATCH_SIZE })
  async handle(items: readonly BatchItem<X3ChangeNotification>[]): Promise<void> {
    await this.publish.execute(items.map((item) => item.event));
  }
}
