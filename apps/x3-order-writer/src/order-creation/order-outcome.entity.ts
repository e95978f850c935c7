import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last reply given for an opportunity's order request (what operators look up first). */
@Entity({ name: 'x3_order_writer_order' })
export class OrderOutcomeEntity {
  @PrimaryColumn({ name: 'opportunity_id', type: 'text' })
  opportunityId!: string;

  @Column({ name: 'outcome', type: 'text' })
  outcome!: 'CREATED' | 'REJECTED';

  @Column({ name: 'order_number', type: 'text', nullable: true })
  orderNumber!: string | null;

  @Column({ name: 'x3_customer_code', type: 'text', nullable: true })
  x3CustomerCode!: string | null;

  @Column({ name: 'customer_created', type: 'boolean', default: false })
  customerCreated!: boolean;

  @Column({ name: 'reason', type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'message', type: 'text', nullable: true })
  message!: string | null;

  @Column({ name: 'replied_at', type: 'timestamptz' })
  repliedAt!: Date;
}
