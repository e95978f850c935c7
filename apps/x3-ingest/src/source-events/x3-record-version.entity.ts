import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The newest version of each X3 record x3-ingest has published: a webhook and a poll of the same
 * version, or two overlapping polls, publish it once. A record whose row is lost is published again
 * with the same event id, which consumers skip.
 */
@Entity({ name: 'x3_ingest_record_version' })
export class X3RecordVersionEntity {
  @PrimaryColumn({ name: 'folder', type: 'text' })
  folder!: string;

  /** BPCUSTOMER, SORDER, SDELIVERY, ITMMVT. */
  @PrimaryColumn({ name: 'class_name', type: 'text' })
  className!: string;

  /** The record key (composite keys joined with ~). */
  @PrimaryColumn({ name: 'record_id', type: 'text' })
  recordId!: string;

  /** UPDTICK of the version published, when X3 sends it. */
  @Column({ name: 'sequence', type: 'bigint', nullable: true })
  sequence!: string | null;

  /** UPDDATTIM of the version published (for a customer refreshed by an order change, the order's). */
  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', default: () => 'now()' })
  publishedAt!: Date;
}
