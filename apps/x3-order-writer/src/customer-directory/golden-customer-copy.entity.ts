import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * x3-order-writer's copy of one golden customer (from the compacted `customer.golden-record.mastered.v1`
 * topic): the whole record, which the `golden-to-x3-customer` template reads when the customer must be
 * created in X3, and its cross-references, by which orders and activities find it.
 */
@Entity({ name: 'x3_order_writer_golden_customer' })
export class GoldenCustomerCopyEntity {
  @PrimaryColumn({ name: 'golden_id', type: 'text' })
  goldenId!: string;

  /** The golden record's version: an older one arriving late is ignored. */
  @Column({ name: 'version', type: 'bigint' })
  version!: string;

  /** The canonical golden record (JSON; dates as ISO-8601 text). */
  @Column({ name: 'record', type: 'jsonb' })
  record!: Record<string, unknown>;

  @Column({ name: 'x3_customer_codes', type: 'text', array: true, default: () => "'{}'" })
  x3CustomerCodes!: string[];

  @Column({ name: 'salesforce_account_ids', type: 'text', array: true, default: () => "'{}'" })
  salesforceAccountIds!: string[];

  @Column({ name: 'pardot_prospect_ids', type: 'text', array: true, default: () => "'{}'" })
  pardotProspectIds!: string[];

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
