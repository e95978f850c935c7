import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What x3-order-writer last wrote to an X3 customer's engagement fields: an unchanged score is not
 * written again, so our writes do not come back as fresh changes (and an older score arriving late is
 * ignored).
 */
@Entity({ name: 'x3_order_writer_engagement_written' })
export class EngagementWrittenEntity {
  @PrimaryColumn({ name: 'x3_customer_code', type: 'text' })
  x3CustomerCode!: string;

  /** computedAt of the newest score applied. */
  @Column({ name: 'score_computed_at', type: 'timestamptz' })
  scoreComputedAt!: Date;

  /** The X3 field values written (from the engagement-to-x3-customer template). */
  @Column({ name: 'written_values', type: 'jsonb' })
  writtenValues!: Record<string, unknown>;

  @Column({ name: 'written_at', type: 'timestamptz' })
  writtenAt!: Date;
}
