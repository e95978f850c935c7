import type { DataSource, EntityManager } from 'typeorm';

/** An event delivery to record in the inbox. */
export interface InboxEntry {
  readonly consumerGroup: string;
  readonly eventId: string;
  /** The replay id when the message came from a `.replay` topic, otherwise undefined. */
  readonly replayId?: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * The processed-event inbox, used by the consumer runner inside the transaction of an event's effect.
 * Plain SQL on purpose: `INSERT ... ON CONFLICT DO NOTHING` is the whole dedupe, atomic with the effect.
 */
export class ProcessedEventInbox {
  /**
   * Records the delivery in the transaction of `manager`; returns false when this group already
   * applied the event (for a replay: in this replay), in which case the caller skips the effect.
   * A concurrent transaction recording the same event waits for the first to finish (primary key).
   */
  async recordIfNew(manager: EntityManager, entry: InboxEntry): Promise<boolean> {
    const rows: unknown = await manager.query(
      `INSERT INTO px3_processed_event (consumer_group, event_id, replay_id, topic, partition, "offset")
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (consumer_group, event_id, replay_id) DO NOTHING
       RETURNING event_id`,
      [entry.consumerGroup, entry.eventId, entry.replayId ?? '', entry.topic, entry.partition, entry.offset],
    );
    return Array.isArray(rows) && rows.length === 1;
  }

  /** Whether the group applied the event (outside a replay). */
  async isProcessed(
    dataSource: DataSource | EntityManager,
    consumerGroup: string,
    eventId: string,
  ): Promise<boolean> {
    const rows: unknown = await dataSource.query(
      `SELECT 1 FROM px3_processed_event WHERE consumer_group = $1 AND event_id = $2 AND replay_id = '' LIMIT 1`,
      [consumerGroup, eventId],
    );
    return Array.isArray(rows) && rows.length > 0;
  }

  /**
   * Deletes inbox rows older than `before`; returns how many. Keep rows longer than any topic a group
   * reads keeps its messages (and longer than any replay window), or a late re-delivery is applied again.
   */
  async purgeProcessedBefore(dataSource: DataSource, before: Date): Promise<number> {
    const result: unknown = await dataSource.query(
      'DELETE FROM px3_processed_event WHERE processed_at < $1',
      [before],
    );
    // node-postgres through TypeORM returns [rows, affectedCount] for DELETE.
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
  }
}
