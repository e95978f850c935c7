import { Injectable } from '@nestjs/common';
import { TOPICS, type X3ChangeNotification } from '@pardot-x3/canonical';
import { sourceVersionIdentity, type X3SourceChange } from '@pardot-x3/ingestion';
import { deriveEventId } from '@pardot-x3/messaging';
import { MessageProducer } from '@pardot-x3/messaging-nest';

/**
 * x3-ingest's durable queue of accepted X3 notifications: `x3.notification.received.v1`, keyed by class
 * and record (each record's notifications on one partition, in order), read by the notification worker.
 * `enqueue` resolves once Kafka stored the notification (idempotent producer, acks=all). Concurrent
 * webhooks share Kafka requests: the producer's coalescing sender keeps one request in flight and sends
 * everything that arrived meanwhile in the next one (no timer). The message id is derived from the
 * record version, like the source event it becomes.
 */
@Injectable()
export class X3NotificationQueue {
  constructor(private readonly producer: MessageProducer) {}

  async enqueue(notification: X3ChangeNotification, change: X3SourceChange): Promise<void> {
    await this.producer.send(TOPICS.x3NotificationReceivedV1, notification, {
      eventId: deriveEventId(sourceVersionIdentity(change.change, change.version), 'x3-ingest.notification'),
      occurredAt: change.change.changedAt,
    });
  }
}
