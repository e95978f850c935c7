import { setTimeout as sleep } from 'node:timers/promises';
import { TOPICS, type CustomerObservation } from '@pardot-x3/canonical';
import { waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsumerGroupActiveError, onEvent, type ConsumerRunner } from '../src/index.js';
import { effectsDatabase, type EffectsDatabase } from './support/effects-database.js';
import { customerObservation } from './support/fixtures.js';
import {
  messagingTestEnvironment,
  metricValue,
  testCatalog,
  testGroup,
  type MessagingTestEnvironment,
} from './support/messaging-test-environment.js';

const topic = TOPICS.customerObservationRecordedV1;
const group = testGroup('mdm.reset-test', [topic]);

describe('resetting a consumer group to a timestamp', () => {
  let env: MessagingTestEnvironment;
  let db: EffectsDatabase;
  let runner: ConsumerRunner | undefined;
  let middle: Date;

  const startRunner = async (): Promise<ConsumerRunner> => {
    const started = env.messaging.consumer({
      group,
      dataSource: db.dataSource,
      sessionTimeoutMs: 6_000,
      handlers: [
        onEvent(topic, async (o: CustomerObservation, context) =>
          db.apply(context.entityManager, context.metadata.eventId, o.sourceId),
        ),
      ],
    });
    await started.start();
    return started;
  };
  const committed = async () =>
    (
      await (
        await env.messaging.admin()
      ).fetchGroupOffsets(env.messaging.namespace.group(group.name), [
        env.messaging.namespace.topic(topic.name),
      ])
    ).reduce((sum, o) => sum + Math.max(0, Number(o.offset)), 0);

  beforeAll(async () => {
    env = await messagingTestEnvironment('reset', testCatalog([topic], [group]));
    db = await effectsDatabase('reset');
    await env.messaging.producer.sendAll(
      Array.from({ length: 5 }, (_, i) => ({
        topic,
        value: customerObservation({ sourceId: `early-${i}` }),
      })),
    );
    await sleep(1_100);
    middle = new Date();
    await env.messaging.producer.sendAll(
      Array.from({ length: 5 }, (_, i) => ({ topic, value: customerObservation({ sourceId: `late-${i}` }) })),
    );
    runner = await startRunner();
    await waitFor(async () => (await committed()) === 10, {
      timeoutMs: 30_000,
      description: 'the group to commit all 10',
    });
  });

  afterAll(async () => {
    await runner?.stop();
    await env?.close();
    await db?.close();
  });

  it('refuses while the group has running consumers', async () => {
    const resetter = await env.messaging.consumerGroupResetter();
    await expect(resetter.reset(group, middle)).rejects.toBeInstanceOf(ConsumerGroupActiveError);
  });

  it('plans (dry run), then moves the offsets of the stopped group; re-read events are deduplicated', async () => {
    await runner?.stop();
    runner = undefined;
    const resetter = await env.messaging.consumerGroupResetter();
    await waitFor(async () => (await resetter.plan(group, middle)).members === 0, {
      timeoutMs: 30_000,
      description: 'the group to be empty',
    });

    const plan = await resetter.reset(group, middle, { dryRun: true });
    expect(plan.changes.reduce((sum, c) => sum + (c.delta ?? 0), 0)).toBe(5);
    expect(await committed()).toBe(10);

    await resetter.reset(group, middle);
    expect(await committed()).toBe(5);

    runner = await startRunner();
    await waitFor(async () => (await committed()) === 10, {
      timeoutMs: 30_000,
      description: 'the group to read the last 5 again',
    });
    // The database already had them: skipped, not applied twice.
    expect(
      await metricValue(env.metrics, 'px3_messages_consumed_total', {
        group: group.name,
        outcome: 'duplicate',
      }),
    ).toBe(5);
    expect([...(await db.counts()).values()]).toEqual(Array(10).fill(1));
  });
});
