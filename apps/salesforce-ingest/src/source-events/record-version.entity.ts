import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The newest version (change time) published of each polled record: overlapping polls publish it once. */
@Entity({ name: 'salesforce_ingest_record_version' })
export class RecordVersionEntity {
  @PrimaryColumn({ name: 'system', type: 'text' })
  system!: string;

  @PrimaryColumn({ name: 'entity', type: 'text' })
  entity!: string;

  @PrimaryColumn({ name: 'record_id', type: 'text' })
  recordId!: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', default: () => 'now()' })
  publishedAt!: Date;
}
