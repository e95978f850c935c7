import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The newest level a stock subscriber decided to publish for one product and site, and how far its
 * delivery got: `version` grows with every publication, `deliveredVersion` follows once the target
 * (Salesforce, the webhook) accepted it. Only the latest level is kept: a newer one replaces a level
 * not yet delivered, which is exactly what a latest-state target needs.
 */
@Entity({ name: 'pardot_writer_stock_publication' })
export class StockPublicationEntity {
  @PrimaryColumn({ name: 'subscriber', type: 'text' })
  subscriber!: string;

  @PrimaryColumn({ name: 'item_code', type: 'text' })
  itemCode!: string;

  @PrimaryColumn({ name: 'site', type: 'text' })
  site!: string;

  @Column({ name: 'available', type: 'numeric' })
  available!: string;

  @Column({ name: 'physical', type: 'numeric' })
  physical!: string;

  @Column({ name: 'measured_at', type: 'timestamptz' })
  measuredAt!: Date;

  /** Why it was published (first-level, threshold, below-low-stock, max-staleness, …). */
  @Column({ name: 'reason', type: 'text' })
  reason!: string;

  @Column({ name: 'version', type: 'bigint' })
  version!: string;

  @Column({ name: 'delivered_version', type: 'bigint', default: 0 })
  deliveredVersion!: string;

  /** Failed delivery attempts of the current version (the webhook retries with back-off). */
  @Column({ name: 'attempts', type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
