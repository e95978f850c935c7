import { Inject, Injectable, Logger } from '@nestjs/common';
import type { X3ChangeNotification } from '@pardot-x3/canonical';
import { classifyFailure } from '@pardot-x3/failure-policy';
import {
  InvalidSourceRecordError,
  parseX3Notification,
  x3SourceChange,
  type X3SourceChange,
} from '@pardot-x3/ingestion';
import { BackPressureError } from '@pardot-x3/messaging';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { X3ChangePublisher, type PublishOutcome } from '../source-events/x3-change-publisher.service.js';
import type { X3IngestConfig } from '../x3-ingest.config.js';

/** How long a partition of the queue waits when X3 (or Kafka, PostgreSQL) cannot be reached, before the batch is tried again. */
const UNAVAILABLE_PAUSE_MS = 5_000;

/**
 * A batch of queued X3 notifications (one partition, in order) → source events: each notification is
 * read again from its body with the webhook's rules, and the batch goes through the publisher at once —
 * which keeps the newest version per record (a burst of notifications for one record is one change),
 * skips versions already published and echoes, reads X3 for the rest in batches (customers' turnover,
 * customers of changed orders) and publishes with event ids derived from the record versions, as the
 * webhook did before it queued (ADR 0130).
 *
 * When X3, Kafka or PostgreSQL cannot be reached, the batch is refused with back-pressure: the
 * partition pauses and the same batch comes again, in order, without using up attempts. A notification
 * that cannot be read (nothing the webhook accepted; something else wrote it) is permanent: the runner
 * handles the batch one by one and parks that notification on the group's dead-letter topic.
 */
@Injectable()
export class PublishX3NotificationsUseCase {
  private readonly logger = new Logger(PublishX3NotificationsUseCase.name);

  constructor(
    private readonly publisher: X3ChangePublisher,
    @Inject(SERVICE_CONFIG) private readonly config: X3IngestConfig,
  ) {}

  async execute(notifications: readonly X3ChangeNotification[]): Promise<PublishOutcome> {
    const changes = notifications.flatMap((n) => this.changeOf(n));
    try {
      return await this.publisher.publish(changes);
    } catch (error) {
      const verdict = classifyFailure(error);
      if (verdict.kind !== 'transient') throw error;
      this.logger.warn(
        { err: error, notifications: notifications.length, failure: verdict.rule },
        `X3 notifications held: ${verdict.rule}; trying the batch again in ${UNAVAILABLE_PAUSE_MS} ms`,
      );
      throw new BackPressureError(
        `X3 notifications held: a dependency is unavailable (${verdict.rule})`,
        UNAVAILABLE_PAUSE_MS,
        { cause: error },
      );
    }
  }

  private changeOf(queued: X3ChangeNotification): X3SourceChange[] {
    const parsed = parseX3Notification(JSON.parse(queued.body) as unknown);
    if (parsed.kind === 'ignored') return [];
    const { notification } = parsed;
    if (notification.folder !== this.config.X3_FOLDER) return [];
    const change = x3SourceChange({
      className: notification.className,
      record: notification.record,
      via: 'WEBHOOK',
      folder: notification.folder,
      kind: notification.kind,
    });
    if (change.change.recordId !== queued.recordId)
      throw new InvalidSourceRecordError(`X3 ${notification.className}`, [
        `the queued notification is for ${queued.recordId} but its record is ${change.change.recordId}`,
      ]);
    return [change];
  }
}
