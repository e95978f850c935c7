import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@pardot-x3/canonical';
import { NodeProcess, stackEnv, waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POISON_PILL_EXITS, type DeadLetterEntry } from '../src/index.js';
import { buildConsumerFixture } from './support/consumer-fixture.js';
import { effectsDatabase, type EffectsDatabase } from './support/effects-database.js';
import { customerObservation } from './support/fixtures.js';
import {
  messagingTestEnvironment,
  testCatalog,
  type MessagingTestEnvironment,
} from './support/messaging-test-environment.js';

const topic = TOPICS.customerObservationRecordedV1;
const group = {
  name: 'mdm.poison-pill-test',
  description: 'poison pill',
  topics: [topic.name],
  retryDelaysMs: [],
};

/**
 * A record that makes the process exit (not an exception: an exit, as an OOM kill or a library calling
 * process.exit would) must not crash-loop the service: after POISON_PILL_EXITS exits on it, the next
 * start parks it on the dead-letter topic with PoisonPillError, and everything else is applied once.
 */
describe('a message that makes the consumer process exit', () => {
  let env: MessagingTestEnvironment;
  let db: EffectsDatabase;
  let consumer: NodeProcess;

  beforeAll(async () => {
    const [script, environment, database] = await Promise.all([
      buildConsumerFixture(),
      messagingTestEnvironment('poison-pill', testCatalog([topic], [group])),
      effectsDatabase('poison_pill'),
    ]);
    env = environment;
    db = database;
    const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL } = stackEnv();
    consumer = new NodeProcess({
      script,
      logName: 'poison-pill-consumer.log',
      env: {
        KAFKA_BROKERS,
        SCHEMA_REGISTRY_URL,
        DATABASE_URL: db.url,
        PX3_TOPIC_NAMESPACE: env.namespace,
        PX3_STATE_DIR: mkdtempSync(join(tmpdir(), 'px3-poison-pill-')),
        TEST_GROUP: group.name,
        HANDLER_DELAY_MS: '1',
        EXIT_ON_SOURCE_ID: 'PILL',
      },
    });
  }, 300_000);

  afterAll(async () => {
    await consumer?.kill();
    await env?.close();
    await db?.close();
  });

  it('is dead-lettered after three exits instead of crash-looping; the others are applied once', async () => {
    const sent = await env.messaging.producer.sendAll(
      ['A1', 'A2', 'PILL', 'B1', 'B2'].map((id) => ({
        topic,
        value: customerObservation({ sourceId: id, customerCode: id }),
      })),
    );
    const pill = sent[2];
    const inspector = await env.messaging.deadLetterInspector();
    let exits = 0;
    let deadLetters: DeadLetterEntry[] = [];
    for (let start = 0; start < POISON_PILL_EXITS + 2 && deadLetters.length === 0; start += 1) {
      consumer.start();
      // Either the process exits on the pill again, or it parks the pill and carries on.
      const outcome = await waitFor(
        async () => {
          if (!consumer.running) return 'exited';
          deadLetters = await inspector.read(group.name);
          return deadLetters.length > 0 ? 'parked' : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 250, description: 'an exit on the pill, or its dead letter' },
      );
      if (outcome === 'exited') {
        expect(consumer.exitCode).toBe(70);
        exits += 1;
      }
    }

    expect(exits).toBe(POISON_PILL_EXITS);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]?.envelope).toMatchObject({
      eventId: pill?.eventId,
      reason: 'NON_RETRIABLE_ERROR',
      errorClass: 'PoisonPillError',
    });
    expect(deadLetters[0]?.envelope.errorMessage).toMatch(/exited 3 times in a row/);

    // The messages around the pill are applied, each once, and the consumer keeps running.
    await waitFor(async () => ((await db.counts()).size === 4 ? true : undefined), {
      timeoutMs: 60_000,
      description: 'the four good messages to be applied',
    });
    const counts = await db.counts();
    for (const s of sent.filter((_, i) => i !== 2)) expect(counts.get(s.eventId)).toBe(1);
    expect(counts.has(pill?.eventId ?? '')).toBe(false);
    expect(consumer.running).toBe(true);
  });
});
