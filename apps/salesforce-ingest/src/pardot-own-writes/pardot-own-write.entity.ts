import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last write pardot-writer made to a prospect: the `updatedAt` Pardot gave it identifies its echo. */
@Entity({ name: 'salesforce_ingest_pardot_own_write' })
export class PardotOwnWriteEntity {
  @PrimaryColumn({ name: 'prospect_id', type: 'text' })
  prospectId!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'golden_id', type: 'text' })
  goldenId!: string;
}
