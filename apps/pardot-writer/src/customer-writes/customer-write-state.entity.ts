import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What pardot-writer last wrote to one target: the next write sends only what changed since, and a
 * golden record change that does not change the target's values sends nothing (no budget spent, no
 * echo to read back).
 */
@Entity({ name: 'pardot_writer_customer_write_state' })
export class CustomerWriteStateEntity {
  @PrimaryColumn({ name: 'target', type: 'text' })
  target!: string;

  @PrimaryColumn({ name: 'target_key', type: 'text' })
  targetKey!: string;

  @Column({ name: 'golden_id', type: 'text' })
  goldenId!: string;

  @Column({ name: 'payload', type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** The Pardot prospect id written to (prospects). */
  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId!: string | null;

  @Column({ name: 'written_at', type: 'timestamptz' })
  writtenAt!: Date;
}
