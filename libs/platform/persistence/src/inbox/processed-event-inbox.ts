import type { DataSource, EntityManager } from 'typeorm';
import { queryPrepared } from '../prepared-query.js';

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

  /**
   * {@link recordIfNew} for several deliveries in one statement (batch handlers); returns the indexes of
   * the entries that were new. Entries repeating an earlier one of the same call count once.
   */
  async recordAllIfNew(manager: EntityManager, entries: readonly InboxEntry[]): Promise<Set<number>> {
    if (entries.length === 0) return new Set();
    // One fixed statement text whatever the batch size (arrays, unnest): prepared once per connection.
    const inserted = await queryPrepared<{ consumer_group: string; event_id: string; replay_id: string }>(
      manager,
      `INSERT INTO px3_processed_event (consumer_group, event_id, replay_id, topic, partition, "offset")
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[])
       ON CONFLICT (consumer_group, event_id, replay_id) DO NOTHING
       RETURNING consumer_group, event_id, replay_id`,
      [
        entries.map((e) => e.consumerGroup),
        entries.map((e) => e.eventId),
        entries.map((e) => e.replayId ?? ''),
        entries.map((e) => e.topic),
        entries.map((e) => e.partition),
        entries.map((e) => e.offset),
      ],
    );
    const keyOf = (group: string, eventId: string, replayId: string) =>
      `${group}\u0000${eventId}\u0000${replayId}`;
    const fresh = new Set(inserted.map((r) => keyOf(r.consumer_group, r.event_id, r.replay_id)));
    const result = new Set<number>();
    entries.forEach((entry, i) => {
      const key = keyOf(entry.consumerGroup, entry.eventId, entry.replayId ?? '');
      if (fresh.delete(key)) result.add(i);
    });
    return result;
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
