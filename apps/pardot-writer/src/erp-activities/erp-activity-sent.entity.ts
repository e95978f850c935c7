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

  /** `sending`: submitted by an attempt that has not recorded the answer yet; `sent`: recorded with its event. */
  @Column({ name: 'state', type: 'text', default: 'sent' })
  state!: 'sending' | 'sent';

  /** When the latest submission started (what an in-doubt check looks for activities created since). */
  @Column({ name: 'attempt_started_at', type: 'timestamptz', nullable: true })
  attemptStartedAt!: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
