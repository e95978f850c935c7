import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Whether a golden record is the customer, was merged into another, or lost every source record. */
export type GoldenCustomerState = 'active' | 'merged' | 'deleted';

/**
 * A golden customer: the whole record (values, cross-references, provenance of every field) as the
 * customer master decided it, plus columns to look it up.
 */
@Entity({ name: 'mdm_golden_customer' })
@Index('mdm_golden_customer_email_idx', ['email'])
export class GoldenCustomerEntity {
  @PrimaryColumn({ name: 'golden_id', type: 'text' })
  goldenId!: string;

  @Column({ name: 'version', type: 'bigint' })
  version!: string;

  /** The domain GoldenCustomer, as JSON. */
  @Column({ name: 'record', type: 'jsonb' })
  record!: Record<string, unknown>;

  /** The surviving email, normalised (trimmed, lower case), for lookups. */
  @Column({ name: 'email', type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'state', type: 'text', default: 'active' })
  state!: GoldenCustomerState;

  /** For a merged record, the golden record that absorbed it. */
  @Column({ name: 'merged_into', type: 'text', nullable: true })
  mergedInto!: string | null;

  /** When mdm last changed the record. */
  @Column({ name: 'changed_at', type: 'timestamptz', default: () => 'now()' })
  changedAt!: Date;
}
