import { Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The keys an active golden record is found by: its source records' identities
 * (`xref:SALESFORCE:Lead:00Q…`) and one key per matching rule whose fields it knows
 * (`normalised-email:jane@acme.com`).
 */
@Entity({ name: 'mdm_customer_match_key' })
@Index('mdm_customer_match_key_golden_idx', ['goldenId'])
export class CustomerMatchKeyEntity {
  @PrimaryColumn({ name: 'key', type: 'text' })
  key!: string;

  @PrimaryColumn({ name: 'golden_id', type: 'text' })
  goldenId!: string;
}
