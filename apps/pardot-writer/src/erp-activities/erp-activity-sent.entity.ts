import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An external activity sent to Account Engagement, once per activity type and business key (the
 * delivery, order or invoice number): an X3 record seen again (webhook and poll, a later change, a
 * replay) does not make a second activity.
 */
@Entity({ name: 'pardot_writer_erp_activity' })
export class ErpActivitySentEntity {
  @PrimaryColumn({ name: 'activity_type', type: 'text' })
  activityType!: string;

  @PrimaryColumn({ name: 'business_key', type: 'text' })
  businessKey!: string;

  /** The prospect e-mail the activity was sent for. */
  @Column({ name: 'email', type: 'text' })
  email!: string;

  @Column({ name: 'value', type: 'text' })
  value!: string;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt!: Date;
}
