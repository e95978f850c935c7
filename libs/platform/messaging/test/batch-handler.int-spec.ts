import { TOPICS, type CustomerObservation } from '@pardot-x3/canonical';
import { waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  onEventBatch,
  type BatchItem,
  type BatchContext,
  type ConsumerRunner,
  type SentEvent,
} from '../src/index.js';
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
const group = testGroup('mdm.batch-test', [topic], [200, 400]);

describe('a batch handler', () => {
  let env: MessagingTestEnvironment;
  let db: EffectsDatabase;
  let runner: ConsumerRunner | undefined;
  const batchSizes: number[] = [];
  let good: SentEvent[] = [];
  let poison: SentEvent;

  const handler = async (
    items: readonly BatchItem<CustomerObservation>[],
    context: BatchContext,
  ): Promise<void> => {
    batchSizes.push(items.length);
    if (items.some((i) => i.event.customerCode === 'POISON'))
      throw new Error('the batch holds an order for a blocked customer');
    // One multi-row insert for the whole batch, in the batch's transaction.
    const values = items.map((_, i) => `($${i * 2 + 1}, $${i * 2 + 2})`).join(', ');
    await context.entityManager.query(
      `INSERT INTO effect (event_id, note) VALUES ${values}`,
      items.flatMap((i) => [i.context.metadata.eventId, i.event.sourceId]),
    );
  };
  const startRunner = async (): Promise<ConsumerRunner> => {
    const started = env.messaging.consumer({
      group,
      dataSource: db.dataSource,
      inPlaceRetryDelaysMs: [50],
      sessionTimeoutMs: 6_000,
      handlers: [onEventBatch(topic, handler, { maxBatchSize: 50 })],
    });
    await started.start();
    return started;
  };

  beforeAll(async () => {
    env = await messagingTestEnvironment('batch', testCatalog([topic], [group]));
    db = await effectsDatabase('batch');
    const events = Array.from({ length: 201 }, (_, i) => ({
      topic,
      value: customerObservation({ sourceId: `C${i}`, customerCode: i === 100 ? 'POISON' : `C${i}` }),
    }));
    const sent = await env.messaging.producer.sendAll(events);
    poison = sent[100] as SentEvent;
    good = sent.filter((_, i) => i !== 100);
    runner = await startRunner();
  });

  afterAll(async () => {
    await runner?.stop();
    await env?.close();
    await db?.close();
  });

  it('applies events in batches, exactly once, and isolates a poison event', async () => {
    const entries = await waitFor(
      async () => {
        const found = await (await env.messaging.deadLetterInspector()).read(group.name);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 60_000, description: 'the poison event to be dead-lettered' },
    );
    await waitFor(async () => (await db.counts()).size === 200, {
      timeoutMs: 60_000,
      description: 'the 200 good events to be applied',
    });
    expect(Math.max(...batchSizes)).toBeGreaterThan(1);
    // The failing batch of 50 is halved down to the poison event, not re-run as 50 single events:
    // single-event calls are the poison event's 6 attempts and the odd neighbour.
    expect(batchSizes.filter((n) => n === 1).length).toBeLessThan(15);
    const counts = await db.counts();
    expect(good.every((e) => counts.get(e.eventId) === 1)).toBe(true);
    expect(counts.has(poison.eventId)).toBe(false);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.envelope).toMatchObject({
      eventId: poison.eventId,
      reason: 'RETRIES_EXHAUSTED',
      attempts: 6,
    });
    expect(
      await metricValue(env.metrics, 'px3_messages_consumed_total', {
        group: group.name,
        outcome: 'processed',
      }),
    ).toBe(200);
  });

  it('leaves already applied events out of a batch when they are delivered again', async () => {
    await runner?.stop();
    runner = undefined;
    const resetter = await env.messaging.consumerGroupResetter();
    await waitFor(async () => (await resetter.plan(group, new Date(0))).members === 0, {
      timeoutMs: 30_000,
      description: 'the group to be empty',
    });
    await resetter.reset(group, new Date(0));
    runner = await startRunner();
    await waitFor(
      async () =>
        (await metricValue(env.metrics, 'px3_messages_consumed_total', {
          group: group.name,
          outcome: 'duplicate',
        })) >= 200,
      {
        timeoutMs: 60_000,
        description: 'the 200 applied events to be recognised',
      },
    );
    expect([...(await db.counts()).values()].every((n) => n === 1)).toBe(true);
  });
});
