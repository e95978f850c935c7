import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { LocalStack } from '../src/index.js';

describe('the local stack', () => {
  it('serves a real Kafka broker, a Confluent-compatible registry and PostgreSQL', async () => {
    const stack = new LocalStack();
    const env = stack.environment();

    const kafka = new Kafka({
      clientId: 'stack-check',
      brokers: env.KAFKA_BROKERS.split(','),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.length).toBeGreaterThanOrEqual(1);
      expect(cluster.clusterId).toMatch(/\S+/);
    } finally {
      await admin.disconnect();
    }

    const subjects = await fetch(`${env.SCHEMA_REGISTRY_URL}/subjects`);
    expect(subjects.status).toBe(200);
    expect(Array.isArray(await subjects.json())).toBe(true);

    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ v: number }>(
        "SELECT current_setting('server_version_num')::int AS v",
      );
      expect(rows[0]?.v).toBeGreaterThanOrEqual(150_000);
    } finally {
      await client.end();
    }
  });

  it('never lets a client auto-create a topic', async () => {
    const env = new LocalStack().environment();
    const kafka = new Kafka({
      clientId: 'stack-check',
      brokers: env.KAFKA_BROKERS.split(','),
      logLevel: logLevel.NOTHING,
      retry: { retries: 1 },
    });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    try {
      await expect(
        producer.send({ topic: `not-in-the-catalog-${Date.now()}`, messages: [{ value: 'x' }] }),
      ).rejects.toThrow();
    } finally {
      await producer.disconnect();
    }
  });
});
