import {
  classifyTopic,
  deadLetterTopicName,
  redriveTopicName,
  replayTopicName,
  retryTopicName,
  type TopicCatalog,
} from '@pardot-x3/canonical';
import type { TopicNamespace } from '../naming/topic-namespace.js';

export type PlannedTopicRole = 'event' | 'replay' | 'retry' | 'redrive' | 'dead-letter';

/** A topic as the catalog wants it on a given cluster. */
export interface PlannedTopic {
  /** Physical name (namespace prefix included). */
  readonly name: string;
  /** Catalog name. */
  readonly logicalName: string;
  readonly role: PlannedTopicRole;
  /** The catalog topic or consumer group it exists for. */
  readonly owner: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level configuration pardot-x3 manages. */
  readonly configs: Readonly<Record<string, string>>;
}

/** Configuration keys compared by the drift report. */
export const MANAGED_CONFIGS = [
  'cleanup.policy',
  'retention.ms',
  'min.insync.replicas',
  'max.message.bytes',
] as const;

/** Dead letters wrap the original message with its error; they may be larger than the broker default. */
const DEAD_LETTER_MAX_MESSAGE_BYTES = String(4 * 1024 * 1024);

/**
 * Every topic of the catalog on a cluster of `brokers` brokers: event topics, their replay topics,
 * and each consumer group's retry, redrive and dead-letter topics. Replication factors are capped at
 * the broker count and min.insync.replicas at the replication factor.
 */
export function planTopics(
  catalog: TopicCatalog,
  namespace: TopicNamespace,
  brokers: number,
): PlannedTopic[] {
  const replication = (wanted: number) => Math.max(1, Math.min(wanted, brokers));
  const configs = (
    cleanup: string,
    retentionMs: number,
    minInsync: number,
    rf: number,
    extra: Record<string, string> = {},
  ) => ({
    'cleanup.policy': cleanup,
    'retention.ms': String(retentionMs),
    'min.insync.replicas': String(Math.max(1, Math.min(minInsync, rf))),
    ...extra,
  });
  const planned: PlannedTopic[] = [];
  for (const topic of catalog.topics) {
    const rf = replication(topic.replicationFactor);
    planned.push({
      name: namespace.topic(topic.name),
      logicalName: topic.name,
      role: 'event',
      owner: topic.name,
      partitions: topic.partitions,
      replicationFactor: rf,
      configs: configs(topic.cleanupPolicy, topic.retentionMs, topic.minInsyncReplicas, rf),
    });
    // A replay is a time-range copy: same partitions (order kept), never compacted.
    planned.push({
      name: namespace.topic(replayTopicName(topic.name)),
      logicalName: replayTopicName(topic.name),
      role: 'replay',
      owner: topic.name,
      partitions: topic.partitions,
      replicationFactor: rf,
      configs: configs('delete', catalog.derived.replay.retentionMs, topic.minInsyncReplicas, rf),
    });
  }
  const rf = replication(catalog.replicationFactor);
  for (const group of catalog.consumerGroups) {
    group.retryDelaysMs.forEach((_, i) => {
      const name = retryTopicName(group.name, i + 1);
      planned.push({
        name: namespace.topic(name),
        logicalName: name,
        role: 'retry',
        owner: group.name,
        partitions: catalog.derived.retry.partitions,
        replicationFactor: rf,
        configs: configs('delete', catalog.derived.retry.retentionMs, catalog.minInsyncReplicas, rf),
      });
    });
    const redrive = redriveTopicName(group.name);
    planned.push({
      name: namespace.topic(redrive),
      logicalName: redrive,
      role: 'redrive',
      owner: group.name,
      partitions: catalog.derived.redrive.partitions,
      replicationFactor: rf,
      configs: configs('delete', catalog.derived.redrive.retentionMs, catalog.minInsyncReplicas, rf),
    });
    const dlq = deadLetterTopicName(group.name);
    planned.push({
      name: namespace.topic(dlq),
      logicalName: dlq,
      role: 'dead-letter',
      owner: group.name,
      partitions: catalog.derived.deadLetter.partitions,
      replicationFactor: rf,
      configs: configs('delete', catalog.derived.deadLetter.retentionMs, catalog.minInsyncReplicas, rf, {
        'max.message.bytes': DEAD_LETTER_MAX_MESSAGE_BYTES,
      }),
    });
  }
  return planned;
}

/** Whether a topic of the cluster looks like one of ours (same namespace, a pardot-x3 name). */
export function isPardotTopic(physical: string, namespace: TopicNamespace): boolean {
  if (physical.startsWith('_')) return false;
  const logical = namespace.logical(physical);
  return logical !== undefined && classifyTopic(logical).role !== 'other';
}
