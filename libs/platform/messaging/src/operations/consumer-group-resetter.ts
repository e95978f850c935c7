import type { ConsumerGroupDefinition } from '@pardot-x3/canonical';
import type { DriverAdmin } from '../driver/kafka-driver.types.js';
import type { TopicNamespace } from '../naming/topic-namespace.js';

export interface OffsetChange {
  readonly topic: string;
  readonly partition: number;
  /** Committed offset now ("-1": none). */
  readonly current: string;
  /** Offset after the reset: the first message at or after the timestamp (the end where none is). */
  readonly target: string;
  /** Messages the group will read again (positive) or skip (negative); undefined without a committed offset. */
  readonly delta?: number;
}

export interface ResetPlan {
  readonly groupId: string;
  readonly state: string;
  readonly members: number;
  readonly to: Date;
  readonly changes: readonly OffsetChange[];
}

/** The group has running consumers: their positions would overwrite the reset. */
export class ConsumerGroupActiveError extends Error {
  constructor(groupId: string, members: number) {
    super(
      `Consumer group ${groupId} has ${members} active member(s). Stop its consumers (scale the service to 0) before resetting it.`,
    );
    this.name = 'ConsumerGroupActiveError';
  }
}

/**
 * Moves a stopped consumer group's committed offsets to a point in time, on the catalog topics it reads
 * (not its retry, redrive or replay topics, which are work queues). Events read again are still
 * deduplicated by the inbox: a reset re-applies only what the service's database no longer has (after
 * restoring a backup), and skips ahead when moved forward.
 */
export class ConsumerGroupResetter {
  constructor(
    private readonly admin: DriverAdmin,
    private readonly namespace: TopicNamespace,
  ) {}

  async plan(group: ConsumerGroupDefinition, to: Date): Promise<ResetPlan> {
    const groupId = this.namespace.group(group.name);
    const { state, members } = await this.admin.describeGroup(groupId);
    const topics = group.topics.map((t) => this.namespace.topic(t));
    const committed = await this.admin.fetchGroupOffsets(groupId, topics);
    const changes: OffsetChange[] = [];
    for (const topic of topics) {
      for (const target of await this.admin.fetchTopicOffsetsByTimestamp(topic, to.getTime())) {
        const current =
          committed.find((c) => c.topic === topic && c.partition === target.partition)?.offset ?? '-1';
        changes.push({
          topic,
          partition: target.partition,
          current,
          target: target.offset,
          delta: current === '-1' ? undefined : Number(BigInt(current) - BigInt(target.offset)),
        });
      }
    }
    return { groupId, state, members, to, changes };
  }

  /** Applies the plan (unless dry run); refuses while the group has members. */
  async reset(
    group: ConsumerGroupDefinition,
    to: Date,
    options: { readonly dryRun?: boolean } = {},
  ): Promise<ResetPlan> {
    const plan = await this.plan(group, to);
    if (plan.members > 0) throw new ConsumerGroupActiveError(plan.groupId, plan.members);
    if (!options.dryRun) {
      await this.admin.setGroupOffsets(
        plan.groupId,
        plan.changes.map((c) => ({ topic: c.topic, partition: c.partition, offset: c.target })),
      );
    }
    return plan;
  }
}
