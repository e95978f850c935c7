import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far a poller (Pardot prospects and activities, Salesforce reconciliation) has read, by the source's clock. */
@Entity({ name: 'salesforce_ingest_poll_watermark' })
export class PollWatermarkEntity {
  @PrimaryColumn({ name: 'system', type: 'text' })
  system!: string;

  @PrimaryColumn({ name: 'entity', type: 'text' })
  entity!: string;

  @Column({ name: 'watermark', type: 'timestamptz' })
  watermark!: Date;

  @Column({ name: 'polled_at', type: 'timestamptz' })
  polledAt!: Date;
}
