import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The inbox: one row per event a consumer group has applied, written in the same transaction as the
 * event's effect. A second delivery of the same event finds its row and is skipped, so an effect is
 * applied once however often Kafka delivers the event (after a crash, a rebalance or a re-drive).
 * A replay (`<topic>.replay`) is a deliberate second processing: its rows carry the replay id.
 */
@Entity({ name: 'px3_processed_event' })
@Index('px3_processed_event_processed_at_idx', ['processedAt'])
export class ProcessedEventEntity {
  /** Consumer group id (namespace prefix included): groups sharing a database dedupe separately. */
  @PrimaryColumn({ name: 'consumer_group', type: 'text' })
  consumerGroup!: string;

  /** The event id (CloudEvents ce_id). */
  @PrimaryColumn({ name: 'event_id', type: 'text' })
  eventId!: string;

  /** Empty for normal deliveries; the replay id for a message read from a `.replay` topic. */
  @PrimaryColumn({ name: 'replay_id', type: 'text', default: '' })
  replayId!: string;

  /** Catalog topic the event was published to. */
  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'integer' })
  partition!: number;

  /** Offset of the delivery that applied the event (text: Kafka offsets are 64-bit). */
  @Column({ name: 'offset', type: 'bigint' })
  offset!: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}
