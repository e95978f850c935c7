import { Injectable } from '@nestjs/common';
import { TOPICS, type X3ChangeNotification } from '@pardot-x3/canonical';
import { sourceVersionIdentity, type X3SourceChange } from '@pardot-x3/ingestion';
import { deriveEventId, outgoingEvent } from '@pardot-x3/messaging';
import { MessageProducer } from '@pardot-x3/messaging-nest';
import { CallBatcher } from './call-batcher.util.js';

/**
 * x3-ingest's durable queue of accepted X3 notifications: `x3.notification.received.v1`, keyed by class
 * and record (each record's notifications on one partition, in order), read by the notification worker.
 * `enqueue` resolves once Kafka stored the notification (idempotent producer, acks=all); concurrent
 * webhooks share Kafka requests (one in flight, the next carrying everything that arrived meanwhile).
 * The message id is derived from the record version, like the source event it becomes.
 */
@Injectable()
export class X3NotificationQueue {
  private readonly sends = new CallBatcher<X3NotificationToQueue, void>(
    async (notifications) => {
      await this.producer.sendAll(
        notifications.map(({ notification, change }) =>
          outgoingEvent(TOPICS.x3NotificationReceivedV1, notification, {
            eventId: deriveEventId(
              sourceVersionIdentity(change.change, change.version),
              'x3-ingest.notification',
            ),
            occurredAt: change.change.changedAt,
          }),
        ),
      );
      return notifications.map(() => undefined);
    },
    { maxBatchSize: 500, concurrency: 1 },
  );

  constructor(private readonly producer: MessageProducer) {}

  enqueue(notification: X3ChangeNotification, change: X3SourceChange): Promise<void> {
    return this.sends.call({ notification, change });
  }
}

interface X3NotificationToQueue {
  readonly notification: X3ChangeNotification;
  /** The change the notification carries, as the webhook read it (for the message id). */
  readonly change: X3SourceChange;
}
