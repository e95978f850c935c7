import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The X3 customer of a customer key (`golden:<golden id>` or `sf-account:<Account id>`), recorded when
 * x3-order-writer created it (or adopted an identical one already in X3): the next order of the same
 * customer uses it, whatever mdm has learned meanwhile, so a customer is never created twice.
 */
@Entity({ name: 'x3_order_writer_customer' })
export class X3CustomerLinkEntity {
  @PrimaryColumn({ name: 'customer_key', type: 'text' })
  customerKey!: string;

  @Column({ name: 'x3_customer_code', type: 'text' })
  x3CustomerCode!: string;

  /** `created` by us, or `adopted`: found in X3 with the values we would have created it with. */
  @Column({ name: 'origin', type: 'text' })
  origin!: 'created' | 'adopted';

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}
