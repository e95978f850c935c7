import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * pardot-writer's copy of one golden customer's e-mail and X3 customer codes (from the compacted
 * mastered-customer topic): the recipient of the external activities of an X3 customer's orders.
 */
@Entity({ name: 'pardot_writer_golden_contact' })
export class GoldenContactEntity {
  @PrimaryColumn({ name: 'golden_id', type: 'text' })
  goldenId!: string;

  @Column({ name: 'version', type: 'bigint' })
  version!: string;

  @Column({ name: 'email', type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'x3_customer_codes', type: 'text', array: true, default: () => "'{}'" })
  x3CustomerCodes!: string[];

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
