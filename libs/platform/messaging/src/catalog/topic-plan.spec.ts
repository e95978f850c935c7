import { TOPIC_CATALOG } from '@pardot-x3/canonical';
import { describe, expect, it } from 'vitest';
import { TopicNamespace } from '../naming/topic-namespace.js';
import { isPardotTopic, planTopics } from './topic-plan.js';

describe('the topic plan', () => {
  const plan = planTopics(TOPIC_CATALOG, new TopicNamespace('staging.'), 1);

  it('holds every catalog topic, its replay topic and each group retry, redrive and dead-letter topic', () => {
    const groups = TOPIC_CATALOG.consumerGroups;
    const retries = groups.reduce((sum, g) => sum + g.retryDelaysMs.length, 0);
    expect(plan).toHaveLength(TOPIC_CATALOG.topics.length * 2 + retries + groups.length * 2);
    expect(new Set(plan.map((t) => t.name)).size).toBe(plan.length);
    expect(plan.every((t) => t.name.startsWith('staging.'))).toBe(true);
  });

  it('caps replication at the broker count and min.insync.replicas at the replication factor', () => {
    expect(plan.every((t) => t.replicationFactor === 1 && t.configs['min.insync.replicas'] === '1')).toBe(
      true,
    );
    const three = planTopics(TOPIC_CATALOG, new TopicNamespace(''), 5);
    expect(three.find((t) => t.name === 'customer.observation.recorded.v1')).toMatchObject({
      replicationFactor: 3,
      configs: { 'min.insync.replicas': '2' },
    });
  });

  it('compacts latest-state topics but never their replay copies', () => {
    expect(
      plan.find((t) => t.logicalName === 'inventory.stock-level.changed.v1')?.configs['cleanup.policy'],
    ).toBe('compact');
    expect(
      plan.find((t) => t.logicalName === 'inventory.stock-level.changed.v1.replay')?.configs[
        'cleanup.policy'
      ],
    ).toBe('delete');
  });

  it('recognises topics of the namespace by name', () => {
    const ns = new TopicNamespace('staging.');
    expect(isPardotTopic('staging.mdm.customer-mastering.dlq', ns)).toBe(true);
    expect(isPardotTopic('prod.mdm.customer-mastering.dlq', ns)).toBe(false);
    expect(isPardotTopic('__consumer_offsets', new TopicNamespace(''))).toBe(false);
  });
});
