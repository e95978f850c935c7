import { TOPICS, type CustomerObservation } from '@pardot-x3/canonical';
import { stackEnv, waitFor } from '@pardot-x3/testing';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidMessageError,
  partitionForKey,
  SchemaNotRegisteredError,
  type SentEvent,
} from '../src/index.js';
import { customerObservation } from './support/fixtures.js';
import { decodeIndependently, unscaledDecimal } from './support/independent-avro-decoder.js';
import {
  messagingTestEnvironment,
  testCatalog,
  type MessagingTestEnvironment,
} from './support/messaging-test-environment.js';

const topic = TOPICS.customerObservationRecordedV1;

interface RawMessage {
  readonly key: string;
  readonly partition: number;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

/** Reads a topic with plain kafkajs, not the project's consumer. */
async function readRaw(physicalTopic: string, count: number): Promise<RawMessage[]> {
  const kafka = new kafkajs.Kafka({
    clientId: 'independent-reader',
    brokers: stackEnv().KAFKA_BROKERS.split(','),
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `independent-${Date.now()}` });
  const messages: RawMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [physicalTopic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      messages.push({
        key: message.key?.toString() ?? '',
        partition,
        value: message.value ?? Buffer.alloc(0),
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
      });
    },
  });
  try {
    await waitFor(() => messages.length >= count, {
      timeoutMs: 30_000,
      description: `${count} raw messages`,
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

describe('messages on the wire', () => {
  let env: MessagingTestEnvironment;
  let sent: SentEvent;
  let raw: RawMessage;
  const observation = customerObservation();

  beforeAll(async () => {
    env = await messagingTestEnvironment('wire', testCatalog([topic]), { service: 'wire-test' });
    sent = await env.messaging.producer.send(topic, observation, {
      occurredAt: new Date('2026-11-26T10:00:00.000Z'),
    });
    [raw] = (await readRaw(env.messaging.namespace.topic(topic.name), 1)) as [RawMessage];
  });

  afterAll(async () => {
    await env?.close();
  });

  it('decode through the registry with an independent decoder (avsc and the HTTP API only)', async () => {
    const { schema, value } = await decodeIndependently(stackEnv().SCHEMA_REGISTRY_URL, raw.value);
    expect(schema['name']).toBe('CustomerObservation');
    expect(schema['namespace']).toBe('pardotx3.customer');
    expect(value).toMatchObject({
      sourceSystem: 'X3',
      sourceEntity: 'BPCUSTOMER',
      sourceId: 'C0001',
      observedAt: Date.parse('2026-11-26T10:00:00.000Z'),
      email: 'jane.doe@acme.example',
      address: { city: 'Paris', postalCode: '75002', countryCode: 'FR', line2: null },
      creditStatus: 'OK',
      lastPurchaseDate: Date.UTC(2026, 10, 1) / 86_400_000,
      customFields: { Customer_Lifetime_Value__c: '125000.50' },
      links: [{ system: 'SALESFORCE', entity: 'Account', id: '001D000000IqhSLIAZ' }],
    });
    const revenue = value['totalRevenue'] as { amount: Buffer; currencyCode: string };
    // 125000.5 at scale 4.
    expect(unscaledDecimal(revenue.amount)).toBe(1_250_005_000n);
    expect(revenue.currencyCode).toBe('EUR');
  });

  it('carry the business key, a murmur2 partition and the CloudEvents headers', () => {
    expect(raw.key).toBe('X3:BPCUSTOMER:C0001');
    expect(raw.partition).toBe(partitionForKey('X3:BPCUSTOMER:C0001', 3));
    expect(raw.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_id: sent.eventId,
      ce_type: 'pardotx3.customer.observation.recorded.v1',
      ce_source: 'urn:pardot-x3:wire-test',
      ce_time: '2026-11-26T10:00:00.000Z',
      ce_subject: 'X3:BPCUSTOMER:C0001',
      ce_correlationid: sent.eventId,
      'content-type': 'application/avro',
    });
    // UUID v7: time-ordered.
    expect(sent.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('decode back to the typed value with the project serde', async () => {
    const decoded = await env.messaging.serde.deserialize(raw.value, topic.value);
    expect(decoded).toEqual({ ...observation, totalRevenue: { amount: '125000.5000', currencyCode: 'EUR' } });
  });

  it('are registered under <namespace><topic>-value with BACKWARD_TRANSITIVE compatibility', async () => {
    const subject = `${env.namespace}${topic.name}-value`;
    expect(await env.messaging.registry.subjects()).toContain(subject);
    expect(await env.messaging.registry.getCompatibility(subject)).toBe('BACKWARD_TRANSITIVE');
  });

  it('are never written when the value breaks its schema: the error names the fields', async () => {
    const admin = await env.messaging.admin();
    const before = await admin.fetchTopicOffsets(env.messaging.namespace.topic(topic.name));
    const broken = {
      ...observation,
      email: 42,
      totalRevenue: { amount: '1.000001', currencyCode: 'EUR' },
    } as unknown as CustomerObservation;
    const error = await env.messaging.producer.send(topic, broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidMessageError);
    expect((error as Error).message).toMatch(
      /Not a valid pardotx3\.customer\.CustomerObservation: .*email: expected null \| string, got number/,
    );
    expect((error as Error).message).toMatch(
      /totalRevenue\.amount: expected a decimal string with at most 4 decimals/,
    );
    expect(await admin.fetchTopicOffsets(env.messaging.namespace.topic(topic.name))).toEqual(before);
  });

  it('need their schema registered beforehand: producers never register', async () => {
    const unregistered = { ...topic, name: 'customer.observation.unregistered.v1' };
    await expect(env.messaging.producer.send(unregistered, observation)).rejects.toBeInstanceOf(
      SchemaNotRegisteredError,
    );
  });
});
