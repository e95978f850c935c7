import { TOPICS } from '@pardot-x3/canonical';
import { NodeProcess, stackEnv, waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsumerFixture } from './support/consumer-fixture.js';
import { effectsDatabase, type EffectsDatabase } from './support/effects-database.js';
import { customerObservation } from './support/fixtures.js';
import {
  messagingTestEnvironment,
  testCatalog,
  type MessagingTestEnvironment,
} from './support/messaging-test-environment.js';

const topic = TOPICS.customerObservationRecordedV1;
const group = { name: 'mdm.crash-test', description: 'crash test', topics: [topic.name], retryDelaysMs: [] };
const N = 300;

describe('a consumer killed with SIGKILL in the middle of a batch', () => {
  let env: MessagingTestEnvironment;
  let db: EffectsDatabase;
  let consumer: NodeProcess;

  beforeAll(async () => {
    const [script, environment, database] = await Promise.all([
      buildConsumerFixture(),
      messagingTestEnvironment('crash', testCatalog([topic], [group])),
      effectsDatabase('crash'),
    ]);
    env = environment;
    db = database;
    const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL } = stackEnv();
    consumer = new NodeProcess({
      script,
      logName: 'exactly-once-consumer.log',
      env: {
        KAFKA_BROKERS,
        SCHEMA_REGISTRY_URL,
        DATABASE_URL: db.url,
        PX3_TOPIC_NAMESPACE: env.namespace,
        TEST_GROUP: group.name,
        HANDLER_DELAY_MS: '15',
      },
    });
  }, 300_000);

  afterAll(async () => {
    await consumer?.kill();
    await env?.close();
    await db?.close();
  });

  it('applies each of N messages exactly once after a restart, counted by event id', async () => {
    const sent = await env.messaging.producer.sendAll(
      Array.from({ length: N }, (_, i) => ({
        topic,
        value: customerObservation({ sourceId: `C${i}`, customerCode: `C${i}` }),
      })),
    );
    const eventIds = new Set(sent.map((s) => s.eventId));
    expect(eventIds.size).toBe(N);

    consumer.start();
    await consumer.waitForLine((line) => line.includes('"started"'), 60_000, 'the started line');

    // Kill while effects are ahead of the committed offsets: in the middle of a batch.
    const admin = await env.messaging.admin();
    const committed = async () =>
      (
        await admin.fetchGroupOffsets(env.messaging.namespace.group(group.name), [
          env.messaging.namespace.topic(topic.name),
        ])
      ).reduce((sum, o) => sum + Math.max(0, Number(o.offset)), 0);
    const beforeKill = await waitFor(
      async () => {
        const applied = [...(await db.counts()).values()].reduce((a, b) => a + b, 0);
        const done = await committed();
        return applied >= N / 5 && applied - done >= 10 ? { applied, committed: done } : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 20, description: 'effects to run ahead of the committed offsets' },
    );
    await consumer.kill();
    const appliedAtKill = [...(await db.counts()).values()].reduce((a, b) => a + b, 0);
    expect(appliedAtKill).toBeLessThan(N);
    expect(appliedAtKill).toBeGreaterThan(beforeKill.committed);

    // Restart: the uncommitted part is delivered again; the inbox skips what was applied.
    consumer.start();
    await waitFor(async () => (await db.counts()).size === N, {
      timeoutMs: 120_000,
      description: `all ${N} events to be applied`,
    });
    await waitFor(async () => (await committed()) === N, {
      timeoutMs: 60_000,
      description: 'every offset to be committed',
    });
    await consumer.stop();

    const counts = await db.counts();
    expect([...counts.keys()].sort()).toEqual([...eventIds].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const stopped = consumer
      .jsonOutput<{ event: string; processed: number; duplicate: number }>()
      .find((l) => l.event === 'stopped');
    // The second run saw again what the first had applied without committing, and skipped it.
    expect(stopped?.duplicate).toBeGreaterThan(0);
    expect((stopped?.processed ?? 0) + appliedAtKill).toBe(N);
  });
});
