import { setTimeout as sleep } from 'node:timers/promises';
import { replayTopicName, TOPICS, type CustomerObservation } from '@pardot-x3/canonical';
import { waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onEvent, type ConsumerRunner, type SentEvent } from '../src/index.js';
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
const group = testGroup('mdm.replay-test', [topic]);

describe('a time-range replay', () => {
  let env: MessagingTestEnvironment;
  let db: EffectsDatabase;
  let runner: ConsumerRunner;
  const waves: SentEvent[][] = [];
  let from: Date;
  let to: Date;

  const sendWave = (name: string) =>
    env.messaging.producer.sendAll(
      Array.from({ length: 10 }, (_, i) => ({
        topic,
        value: customerObservation({ sourceId: `${name}${i}` }),
      })),
    );
  const replayedIds = async () =>
    (await db.notes()).filter((n) => n.note.startsWith('replay:')).map((n) => n.eventId);

  beforeAll(async () => {
    env = await messagingTestEnvironment('replay', testCatalog([topic], [group]));
    db = await effectsDatabase('replay');
    runner = env.messaging.consumer({
      group,
      dataSource: db.dataSource,
      handlers: [
        onEvent(topic, async (observation: CustomerObservation, context) => {
          await db.apply(
            context.entityManager,
            context.metadata.eventId,
            `${context.delivery.kind}:${context.replayId ?? ''}:${observation.sourceId}`,
          );
        }),
      ],
    });
    await runner.start();
    // Three waves a second apart; the middle one is the range to replay.
    waves.push(await sendWave('A'));
    await sleep(1_100);
    from = new Date();
    waves.push(await sendWave('B'));
    to = new Date(Date.now() + 1);
    await sleep(1_100);
    waves.push(await sendWave('C'));
    await waitFor(async () => (await db.counts()).size === 30, {
      timeoutMs: 30_000,
      description: 'the 30 events to be applied',
    });
  });

  afterAll(async () => {
    await runner?.stop();
    await env?.close();
    await db?.close();
  });

  it('selects exactly the messages of the range (dry run writes nothing)', async () => {
    const replayer = await env.messaging.topicReplayer();
    const admin = await env.messaging.admin();
    const target = env.messaging.namespace.topic(replayTopicName(topic.name));
    const before = await admin.fetchTopicOffsets(target);
    const dryRun = await replayer.replay(topic.name, from, to, { dryRun: true });
    expect(dryRun).toMatchObject({ selected: 10, complete: true });
    expect(dryRun.scanned).toBeGreaterThanOrEqual(10);
    expect(await admin.fetchTopicOffsets(target)).toEqual(before);
  });

  it('reprocesses exactly those messages, once, through <topic>.replay', async () => {
    const replayer = await env.messaging.topicReplayer();
    const result = await replayer.replay(topic.name, from, to);
    expect(result.selected).toBe(10);
    await waitFor(async () => (await replayedIds()).length === 10, {
      timeoutMs: 30_000,
      description: 'the replayed events to be handled',
    });
    const middle = waves[1]?.map((e) => e.eventId).sort();
    expect((await replayedIds()).sort()).toEqual(middle);
    const notes = await db.notes();
    expect(
      notes
        .filter((n) => n.note.startsWith('replay:'))
        .every((n) => n.note.startsWith(`replay:${result.replayId}:B`)),
    ).toBe(true);

    // Copying the same replay again (a retried replay) changes nothing: the inbox knows this replay id.
    const duplicatesBefore = await metricValue(env.metrics, 'px3_messages_consumed_total', {
      group: group.name,
      outcome: 'duplicate',
    });
    await replayer.replay(topic.name, from, to, { replayId: result.replayId });
    await waitFor(
      async () =>
        (await metricValue(env.metrics, 'px3_messages_consumed_total', {
          group: group.name,
          outcome: 'duplicate',
        })) ===
        duplicatesBefore + 10,
      { timeoutMs: 30_000, description: 'the repeated replay to be recognised' },
    );
    const counts = await db.counts();
    for (const event of waves[1] ?? []) expect(counts.get(event.eventId)).toBe(2);
    for (const event of [...(waves[0] ?? []), ...(waves[2] ?? [])]) expect(counts.get(event.eventId)).toBe(1);
  });
});
