import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where the CDC subscription of a channel stands: the last event made durable in Kafka. */
@Entity({ name: 'salesforce_ingest_replay_position' })
export class ReplayPositionEntity {
  @PrimaryColumn({ name: 'channel', type: 'text' })
  channel!: string;

  @Column({ name: 'replay_id', type: 'bigint' })
  cdcReplayId!: string;

  /** The event's commitTimestamp: where a repair by SystemModstamp starts when the replay id expired. */
  @Column({ name: 'commit_timestamp', type: 'timestamptz', nullable: true })
  commitTimestamp!: Date | null;

  @Column({ name: 'saved_at', type: 'timestamptz', default: () => 'now()' })
  savedAt!: Date;
}
