import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How far the UPDDATTIM poller of one X3 class has read: the newest change time X3 reported among
 * the records already published (X3's clock, never ours). Each poll starts an overlap before it.
 */
@Entity({ name: 'x3_ingest_poll_watermark' })
export class X3PollWatermarkEntity {
  @PrimaryColumn({ name: 'folder', type: 'text' })
  folder!: string;

  @PrimaryColumn({ name: 'class_name', type: 'text' })
  className!: string;

  @Column({ name: 'watermark', type: 'timestamptz' })
  watermark!: Date;

  /** When the last poll of the class finished (for operators: is the poller alive?). */
  @Column({ name: 'polled_at', type: 'timestamptz' })
  polledAt!: Date;
}
