import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A Pardot prospect pardot-writer upserted for a golden customer (from `pardot.prospect.upserted.v1`). */
@Entity({ name: 'x3_order_writer_prospect_link' })
@Index('x3_order_writer_prospect_link_golden_idx', ['goldenId'])
export class ProspectLinkEntity {
  @PrimaryColumn({ name: 'prospect_id', type: 'text' })
  prospectId!: string;

  @Column({ name: 'golden_id', type: 'text' })
  goldenId!: string;

  @Column({ name: 'linked_at', type: 'timestamptz', default: () => 'now()' })
  linkedAt!: Date;
}
