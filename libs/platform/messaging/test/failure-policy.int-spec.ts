import { TOPICS, type CustomerObservation } from '@pardot-x3/canonical';
import { waitFor } from '@pardot-x3/testing';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackPressureError, onEvent, type ConsumerRunner, type DeadLetterEntry } from '../src/index.js';
import { effectsDatabase, type EffectsDatabase } from './support/effects-database.js';
import { customerObservation } from './support/fixtures.js';
import {
  messagingTestEnvironment,
  testCatalog,
  testGroup,
  type MessagingTestEnvironment,
} from './support/messaging-test-environment.js';

const topic = TOPICS.customerObservationRecordedV1;
const group = testGroup('mdm.failure-policy-test', [topic], [300, 600]);

/**
 * The consumer runner acts on the failure policy's verdict (libs/platform/failure-policy), with a real
 * broker, registry and PostgreSQL:
 * - a KafkaJS "retries exceeded" around ECONNREFUSED (what a handler's send raised while the broker was
 *   down; KafkaJS marks it `retriable: false`) is transient: retried, applied once, never dead-lettered;
 * - a NUL byte refused by PostgreSQL (22021) is permanent: dead-lettered on its first attempt instead of
 *   retried for minutes;
 * - a non-Error value thrown (a string) is dead-lettered at once, with its text; the process lives on;
 * - a throttle pauses the partition and hands the same message over again without using an attempt.
 */
describe('the consumer runner on the failure policy', () => {
  let env: MessagingTestEnvironment;
  let db: EffectsDatabase;
  let runner: ConsumerRunner;
  const seen = new Map<string, number[]>();

  beforeAll(async () => {
    env = await messagingTestEnvironment('failure-policy', testCatalog([topic], [group]));
    db = await effectsDatabase('failure_policy');
    let brokerDown = true;
    let throttles = 2;
    runner = env.messaging.consumer({
      group,
      dataSource: db.dataSource,
      inPlaceRetryDelaysMs: [100, 200],
      handlers: [
        onEvent(topic, async (observation: CustomerObservation, context) => {
          const id = observation.sourceId;
          seen.set(id, [...(seen.get(id) ?? []), context.attempt]);
          if (id === 'BROKER-OUTAGE' && brokerDown) {
            brokerDown = false;
            throw new KafkaJSNumberOfRetriesExceeded(
              new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092'),
              { retryCount: 5, retryTime: 3_000 },
            );
          }
          if (id === 'STRING-THROWN') throw 'the legacy library threw a string';
          if (id === 'THROTTLED' && throttles > 0) {
            throttles -= 1;
            throw new BackPressureError('Pardot error 66: concurrent request limit', 300);
          }
          // A NUL byte in a text value: PostgreSQL refuses it (22021) however often it is tried.
          await db.apply(context.entityManager, context.metadata.eventId, observation.companyName ?? id);
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

  it('retries transient failures, dead-letters permanent ones at once, and pauses on throttles', async () => {
    const { producer } = env.messaging;
    const [outage, nul, text, throttled, good] = await Promise.all([
      producer.send(topic, customerObservation({ sourceId: 'BROKER-OUTAGE' })),
      producer.send(topic, customerObservation({ sourceId: 'NUL-BYTE', companyName: 'Acme\u0000Corp' })),
      producer.send(topic, customerObservation({ sourceId: 'STRING-THROWN' })),
      producer.send(topic, customerObservation({ sourceId: 'THROTTLED' })),
      producer.send(topic, customerObservation({ sourceId: 'GOOD' })),
    ]);
    const inspector = await env.messaging.deadLetterInspector();
    const deadLetters = await waitFor(
      async () => {
        const found: DeadLetterEntry[] = await inspector.read(group.name);
        const counts = await db.counts();
        const applied = [outage, throttled, good].every((s) => counts.get(s.eventId) === 1);
        return found.length >= 2 && applied ? found : undefined;
      },
      { timeoutMs: 60_000, description: 'two dead letters and three applied events' },
    );

    // Transient: tried again in place, applied once, not parked.
    expect(seen.get('BROKER-OUTAGE')).toEqual([1, 2]);
    // Throttled twice, then applied; the pauses used no attempt.
    expect(seen.get('THROTTLED')).toEqual([1, 1, 1]);

    const byEvent = new Map(deadLetters.map((d) => [d.envelope.eventId, d.envelope]));
    expect(deadLetters).toHaveLength(2);
    expect(byEvent.get(nul.eventId)).toMatchObject({ reason: 'NON_RETRIABLE_ERROR', attempts: 1 });
    expect(byEvent.get(nul.eventId)?.errorMessage).toMatch(/invalid byte sequence|0x00/);
    expect(seen.get('NUL-BYTE')).toEqual([1]);
    expect(byEvent.get(text.eventId)).toMatchObject({
      reason: 'NON_RETRIABLE_ERROR',
      attempts: 1,
      errorClass: 'string',
      errorMessage: 'the legacy library threw a string',
    });
    expect(seen.get('STRING-THROWN')).toEqual([1]);
    expect(byEvent.has(outage.eventId)).toBe(false);
    expect(runner.health().healthy).toBe(true);
  });
});
