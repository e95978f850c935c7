import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One prospect activity kept for the Last Engagement Score (only those within the policy's horizon
 * count). Keyed by the Pardot activity id, so an activity read twice (overlapping polls, a replay)
 * counts once.
 */
@Entity({ name: 'x3_order_writer_engagement_activity' })
export class EngagementActivityEntity {
  @PrimaryColumn({ name: 'activity_id', type: 'text' })
  activityId!: string;

  @Column({ name: 'prospect_id', type: 'text' })
  prospectId!: string;

  /** The Pardot visitor activity type code, which the policy weighs. */
  @Column({ name: 'activity_type', type: 'integer' })
  activityType!: number;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;
}
