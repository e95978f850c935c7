import { TOPICS, type CustomerObservation } from '@pardot-x3/canonical';
import { waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidMessageError,
  onEvent,
  selectDeadLetters,
  summarizeDeadLetters,
  TRANSPORT_HEADERS,
  type ConsumerRunner,
  type DeadLetterEntry,
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
const group = testGroup('mdm.poison-test', [topic], [300, 600]);

describe('a poison message', () => {
  let env: MessagingTestEnvironment;
  let db: EffectsDatabase;
  let runner: ConsumerRunner;
  let fixed = false;
  const attemptsSeen: number[] = [];

  beforeAll(async () => {
    env = await messagingTestEnvironment('poison', testCatalog([topic], [group]));
    db = await effectsDatabase('poison');
    runner = env.messaging.consumer({
      group,
      dataSource: db.dataSource,
      inPlaceRetryDelaysMs: [50],
      handlers: [
        onEvent(topic, async (observation: CustomerObservation, context) => {
          if (observation.customerCode === 'POISON') {
            attemptsSeen.push(context.attempt);
            if (!fixed)
              throw new Error(
                `credit service refused customer ${observation.customerCode} (attempt ${context.attempt})`,
              );
          }
          if (observation.email === 'not-an-email')
            throw new InvalidMessageError('email is not an e-mail address');
          await db.apply(context.entityManager, context.metadata.eventId, observation.sourceId);
        }),
      ],
    });
    await runner.start();
  });

  afterAll(async () => {
    await runner?.stop();
    await env?.close();
    await db?.close();
  });

  const deadLetters = async (): Promise<DeadLetterEntry[]> =>
    (await env.messaging.deadLetterInspector()).read(group.name);

  it('lands in the dead-letter topic after the configured retries, with its reason; the others are applied', async () => {
    const { producer } = env.messaging;
    const good = await Promise.all(
      Array.from({ length: 5 }, (_, i) => producer.send(topic, customerObservation({ sourceId: `C${i}` }))),
    );
    const poison = await producer.send(
      topic,
      customerObservation({ sourceId: 'P1', customerCode: 'POISON' }),
    );
    const invalid = await producer.send(
      topic,
      customerObservation({ sourceId: 'I1', email: 'not-an-email' }),
    );
    // Bytes that are not Avro at all, on the same topic.
    await producer.sendEncoded([
      {
        topic: env.messaging.namespace.topic(topic.name),
        key: 'garbage',
        value: Buffer.from('{"not":"avro"}'),
      },
    ]);

    const entries = await waitFor(
      async () => {
        const found = await deadLetters();
        return found.length >= 3 ? found : undefined;
      },
      { timeoutMs: 60_000, description: 'three dead letters' },
    );

    const counts = await db.counts();
    for (const sent of good) expect(counts.get(sent.eventId)).toBe(1);
    expect(counts.has(poison.eventId)).toBe(false);

    const byReason = new Map(entries.map((e) => [e.envelope.reason, e]));
    const exhausted = byReason.get('RETRIES_EXHAUSTED');
    // First delivery (2 attempts in place) and two retry levels (2 attempts each): 6 attempts.
    expect(exhausted?.envelope).toMatchObject({
      eventId: poison.eventId,
      errorClass: 'Error',
      attempts: 6,
      consumerGroup: group.name,
    });
    expect(exhausted?.envelope.errorMessage).toMatch(/credit service refused customer POISON \(attempt 6\)/);
    expect(exhausted?.envelope.origin).toMatchObject({
      topic: topic.name,
      partition: poison.partition,
      offset: Number(poison.offset),
    });
    expect(attemptsSeen).toEqual([1, 2, 3, 4, 5, 6]);

    // Validation errors and undecodable bytes are never retried.
    expect(byReason.get('INVALID_MESSAGE')).toBeDefined();
    const invalidEntries = entries.filter((e) => e.envelope.reason === 'INVALID_MESSAGE');
    expect(invalidEntries.map((e) => e.envelope.attempts)).toEqual([1, 1]);
    expect(invalidEntries.find((e) => e.envelope.eventId === invalid.eventId)?.envelope.errorClass).toBe(
      'InvalidMessageError',
    );
    const garbage = invalidEntries.find((e) => e.envelope.key?.toString() === 'garbage');
    expect(garbage?.envelope.payload?.toString()).toBe('{"not":"avro"}');
    expect(garbage?.envelope.errorMessage).toMatch(/not in Confluent wire format/);

    expect(
      await metricValue(env.metrics, 'px3_dead_letters_total', { group: group.name, error_class: 'Error' }),
    ).toBe(1);
    expect(
      await metricValue(env.metrics, 'px3_messages_consumed_total', {
        group: group.name,
        outcome: 'retried',
      }),
    ).toBe(2);
  });

  it('carries error class, message, attempts and origin in the dead letter headers too', async () => {
    const { admin, serde } = { admin: await env.messaging.admin(), serde: env.messaging.serde };
    void serde;
    const dlq = env.messaging.namespace.topic(`${group.name}.dlq`);
    const seen: Record<string, string>[] = [];
    await env.messaging.rangeReader().read(
      dlq,
      (await admin.fetchTopicOffsets(dlq)).map((o) => ({
        partition: o.partition,
        start: BigInt(o.low),
        end: BigInt(o.high),
      })),
      (message) => {
        seen.push(Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, v.toString()])));
      },
    );
    const exhausted = seen.find((h) => h[TRANSPORT_HEADERS.deadLetterReason] === 'RETRIES_EXHAUSTED');
    expect(exhausted).toMatchObject({
      [TRANSPORT_HEADERS.deadLetterErrorClass]: 'Error',
      [TRANSPORT_HEADERS.deadLetterAttempts]: '6',
      [TRANSPORT_HEADERS.deadLetterOriginTopic]: topic.name,
      [TRANSPORT_HEADERS.deadLetterGroup]: group.name,
    });
    expect(exhausted?.[TRANSPORT_HEADERS.deadLetterErrorMessage]).toMatch(/credit service refused/);
    expect(exhausted?.[TRANSPORT_HEADERS.deadLetterOriginOffset]).toMatch(/^\d+$/);
  });

  it('is re-driven after the fix and applied exactly once, even when re-driven twice', async () => {
    fixed = true;
    const entries = await deadLetters();
    const summary = summarizeDeadLetters(entries);
    expect(summary.map((g) => [g.errorClass, g.count])).toEqual(
      expect.arrayContaining([
        ['Error', 1],
        ['InvalidMessageError', 1],
      ]),
    );
    const selected = selectDeadLetters(entries, { errorClass: 'Error' });
    expect(selected).toHaveLength(1);
    const poisonId = selected[0]?.envelope.eventId ?? '';

    const redriver = env.messaging.deadLetterRedriver();
    const dryRun = await redriver.redrive(group.name, selected, { dryRun: true });
    expect(dryRun.redriven).toHaveLength(1);
    await redriver.redrive(group.name, selected);
    await waitFor(async () => (await db.counts()).get(poisonId) === 1, {
      timeoutMs: 30_000,
      description: 'the re-driven event to be applied',
    });

    // The listing now shows it as re-driven; forcing a second re-drive changes nothing.
    const after = await deadLetters();
    expect(selectDeadLetters(after, { errorClass: 'Error' })).toHaveLength(0);
    const again = selectDeadLetters(after, { errorClass: 'Error', includeRedriven: true });
    expect(again[0]?.redrivenAt).toBeInstanceOf(Date);
    await redriver.redrive(group.name, again);
    await waitFor(
      async () =>
        (await metricValue(env.metrics, 'px3_messages_consumed_total', {
          group: group.name,
          outcome: 'duplicate',
        })) >= 1,
      {
        timeoutMs: 30_000,
        description: 'the second re-drive to be skipped as a duplicate',
      },
    );
    expect((await db.counts()).get(poisonId)).toBe(1);
  });
});
