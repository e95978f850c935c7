import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last Last Engagement Score published for an X3 customer (a score is published only when it changes). */
@Entity({ name: 'x3_order_writer_engagement_score' })
export class EngagementScoreEntity {
  @PrimaryColumn({ name: 'x3_customer_code', type: 'text' })
  x3CustomerCode!: string;

  @Column({ name: 'golden_id', type: 'text', nullable: true })
  goldenId!: string | null;

  @Column({ name: 'score', type: 'integer' })
  score!: number;

  @Column({ name: 'activity_count', type: 'integer' })
  activityCount!: number;

  @Column({ name: 'last_activity_at', type: 'timestamptz', nullable: true })
  lastActivityAt!: Date | null;

  @Column({ name: 'computed_at', type: 'timestamptz' })
  computedAt!: Date;
}
