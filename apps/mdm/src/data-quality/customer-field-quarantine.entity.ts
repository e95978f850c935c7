import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The data-quality record of mdm: per source record and field, an optional field its mapping template
 * left out because the source value was invalid (field-level quarantine, ADR 0135), as the newest
 * observation of that record says. A corrected value (or a deleted record) removes the row.
 */
@Entity({ name: 'mdm_customer_field_quarantine' })
export class CustomerFieldQuarantineEntity {
  @PrimaryColumn({ name: 'source_system', type: 'text' })
  sourceSystem!: string;

  @PrimaryColumn({ name: 'source_entity', type: 'text' })
  sourceEntity!: string;

  @PrimaryColumn({ name: 'source_id', type: 'text' })
  sourceId!: string;

  @PrimaryColumn({ name: 'field', type: 'text' })
  field!: string;

  /** The mapping problem code, e.g. `invalid-phone`. */
  @Column({ name: 'rule', type: 'text' })
  rule!: string;

  /** Why, without the value: `is not a valid phone number for US`. */
  @Column({ name: 'reason', type: 'text' })
  reason!: string;

  @Column({ name: 'source_field', type: 'text', nullable: true })
  sourceField!: string | null;

  /** The source time of the observation that left the field out. */
  @Column({ name: 'observed_at', type: 'timestamptz' })
  observedAt!: Date;
}
