import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The X3 order outcome last written to an Opportunity: a reply that changes nothing is not written
 * again, so a redelivered request (or our own echo) costs no Salesforce call and raises no change event.
 */
@Entity({ name: 'pardot_writer_order_outcome' })
export class OrderOutcomeWrittenEntity {
  @PrimaryColumn({ name: 'opportunity_id', type: 'text' })
  opportunityId!: string;

  /** The Opportunity field values written. */
  @Column({ name: 'written_values', type: 'jsonb' })
  writtenValues!: Record<string, string | null>;

  @Column({ name: 'written_at', type: 'timestamptz' })
  writtenAt!: Date;
}
