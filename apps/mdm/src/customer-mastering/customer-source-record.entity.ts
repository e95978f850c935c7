import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Each source record mdm has seen (X3 customer, Salesforce Lead/Contact/Account, Pardot prospect): the
 * golden record it belongs to, its last known values and the source time of its newest version. The
 * cross-reference of ids, and what `observationDelta` compares a new observation with.
 */
@Entity({ name: 'mdm_customer_source_record' })
@Index('mdm_customer_source_record_golden_idx', ['goldenId'])
export class CustomerSourceRecordEntity {
  @PrimaryColumn({ name: 'source_system', type: 'text' })
  sourceSystem!: string;

  @PrimaryColumn({ name: 'source_entity', type: 'text' })
  sourceEntity!: string;

  @PrimaryColumn({ name: 'source_id', type: 'text' })
  sourceId!: string;

  @Column({ name: 'golden_id', type: 'text' })
  goldenId!: string;

  @Column({ name: 'observed_at', type: 'timestamptz' })
  observedAt!: Date;

  /** The record's last known values (domain CustomerFields). */
  @Column({ name: 'fields', type: 'jsonb' })
  fields!: Record<string, unknown>;

  @Column({ name: 'deleted', type: 'boolean', default: false })
  deleted!: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
