import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ConfirmationBody } from './order-confirmation.types.js';

/**
 * The latest order outcome of an Opportunity as salesforce-ingest knows it: `PENDING` from the moment
 * the endpoint sent the request, then `CREATED` or `REJECTED` with the reply — also when the caller
 * stopped waiting (the reply is read by a consumer group of its own).
 */
@Entity({ name: 'salesforce_ingest_order_confirmation' })
export class OrderConfirmationEntity {
  @PrimaryColumn({ name: 'opportunity_id', type: 'text' })
  opportunityId!: string;

  @Column({ name: 'outcome', type: 'text' })
  outcome!: 'PENDING' | 'CREATED' | 'REJECTED';

  /** The answer's body (see `ConfirmationBody`). */
  @Column({ name: 'reply', type: 'jsonb', nullable: true })
  reply!: ConfirmationBody | null;

  @Column({ name: 'requested_at', type: 'timestamptz', nullable: true })
  requestedAt!: Date | null;

  @Column({ name: 'replied_at', type: 'timestamptz', nullable: true })
  repliedAt!: Date | null;
}
