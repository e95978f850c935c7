import { TOPICS } from '@pardot-x3/canonical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasDrift, type DriverAdmin, type TopicProvisioner } from '../src/index.js';
import {
  messagingTestEnvironment,
  testCatalog,
  testGroup,
  type MessagingTestEnvironment,
} from './support/messaging-test-environment.js';

const catalog = testCatalog(
  [TOPICS.customerObservationRecordedV1, TOPICS.inventoryStockLevelChangedV1],
  [testGroup('pardot-writer.provisioning-test', [TOPICS.inventoryStockLevelChangedV1], [1_000, 5_000])],
);

describe('topics from the catalog', () => {
  let env: MessagingTestEnvironment;
  let provisioner: TopicProvisioner;
  let admin: DriverAdmin;
  const physical = (name: string) => env.messaging.namespace.topic(name);

  beforeAll(async () => {
    // The environment creates the catalog's topics once already.
    env = await messagingTestEnvironment('provisioning', catalog);
    provisioner = await env.messaging.topicProvisioner();
    admin = await env.messaging.admin();
  });

  afterAll(async () => {
    await env?.close();
  });

  it('are created idempotently, derived topics included, with the catalog settings', async () => {
    const again = await provisioner.create(catalog);
    expect(again.created).toEqual([]);
    expect(hasDrift(again.report)).toBe(false);
    // 2 topics + 2 replay topics + 2 retry levels + redrive + dead letters.
    expect(again.report.matching).toBe(8);
    const configs = await admin.describeTopicConfigs([
      physical('inventory.stock-level.changed.v1'),
      physical('pardot-writer.provisioning-test.dlq'),
    ]);
    expect(configs[physical('inventory.stock-level.changed.v1')]).toMatchObject({
      'cleanup.policy': 'compact',
      'retention.ms': '-1',
    });
    expect(configs[physical('pardot-writer.provisioning-test.dlq')]).toMatchObject({
      'cleanup.policy': 'delete',
      'max.message.bytes': '4194304',
    });
    expect(await admin.describeTopics([physical('inventory.stock-level.changed.v1.replay')])).toEqual([
      { name: physical('inventory.stock-level.changed.v1.replay'), partitions: 3, replicationFactor: 1 },
    ]);
  });

  it('report drift: missing topics, different settings, and unknown topics of the namespace', async () => {
    const retry = physical('pardot-writer.provisioning-test.retry.1');
    await admin.deleteTopics([retry, physical('customer.observation.recorded.v1.replay')]);
    await admin.createTopics([
      { name: retry, partitions: 2, replicationFactor: 1, configs: { 'retention.ms': '1000' } },
    ]);
    await admin.createTopics([
      {
        name: physical('customer.observation.forgotten.v1'),
        partitions: 1,
        replicationFactor: 1,
        configs: {},
      },
    ]);

    const report = await provisioner.drift(catalog);
    expect(hasDrift(report)).toBe(true);
    expect(report.missing.map((t) => t.logicalName)).toEqual(['customer.observation.recorded.v1.replay']);
    expect(report.differences).toEqual(
      expect.arrayContaining([
        { topic: retry, setting: 'partitions', expected: '1', actual: '2' },
        {
          topic: retry,
          setting: 'retention.ms',
          expected: String(catalog.derived.retry.retentionMs),
          actual: '1000',
        },
      ]),
    );
    expect(report.notInCatalog).toEqual([physical('customer.observation.forgotten.v1')]);

    // A dry run lists what it would create and creates nothing; a real run creates only what is missing.
    const dryRun = await provisioner.create(catalog, { dryRun: true });
    expect(dryRun.created.map((t) => t.logicalName)).toEqual(['customer.observation.recorded.v1.replay']);
    expect(await admin.listTopics()).not.toContain(physical('customer.observation.recorded.v1.replay'));
    const created = await provisioner.create(catalog);
    expect(created.created.map((t) => t.logicalName)).toEqual(['customer.observation.recorded.v1.replay']);
    expect(created.report.missing).toEqual([]);
    // Existing topics are never altered: the retry topic keeps its drift until someone decides.
    expect(created.report.differences.map((d) => d.setting).sort()).toEqual(['partitions', 'retention.ms']);
    await admin.deleteTopics([physical('customer.observation.forgotten.v1')]);
  });
});
