import { randomBytes } from 'node:crypto';
import { waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  partitionForKey,
  type DriverAdmin,
  type IncomingMessage,
  type KafkaDriver,
  type KafkaDriverName,
} from '../../src/index.js';

/**
 * What every Kafka driver must do, as the messaging layer relies on it. Run against a real broker
 * for each driver (kafkajs-driver.int-spec.ts, platformatic-driver.int-spec.ts).
 */
export function describeDriverContract(
  name: KafkaDriverName,
  createDriver: () => Promise<KafkaDriver>,
): void {
  describe(`the ${name} driver`, () => {
    let driver: KafkaDriver;
    let admin: DriverAdmin;
    const prefix = `contract-${name}-${randomBytes(3).toString('hex')}`;
    const created: string[] = [];
    const topic = async (suffix: string, partitions = 2): Promise<string> => {
      const topicName = `${prefix}.${suffix}`;
      await admin.createTopics([
        { name: topicName, partitions, replicationFactor: 1, configs: { 'retention.ms': '3600000' } },
      ]);
      created.push(topicName);
      return topicName;
    };

    /** Consumes until `done(received)` holds, then disconnects. */
    const consume = async (
      topics: string[],
      groupId: string,
      done: (received: IncomingMessage[]) => boolean,
      resolve: (message: IncomingMessage, received: IncomingMessage[]) => boolean = () => true,
    ): Promise<IncomingMessage[]> => {
      const received: IncomingMessage[] = [];
      const consumer = driver.createConsumer({ groupId, maxWaitTimeMs: 100 });
      await consumer.connect();
      await consumer.subscribe(topics, true);
      await consumer.run({
        partitionsConsumedConcurrently: 2,
        eachBatch: async (batch, control) => {
          for (const message of batch.messages) {
            received.push(message);
            if (!resolve(message, received)) return;
            control.resolveOffset(message.offset);
          }
          await consumer.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: batch.nextOffset },
          ]);
        },
      });
      try {
        await waitFor(() => done(received), {
          timeoutMs: 60_000,
          description: `${groupId} to receive what it expects`,
        });
      } finally {
        await consumer.disconnect();
      }
      return received;
    };

    beforeAll(async () => {
      driver = await createDriver();
      admin = driver.createAdmin();
      await admin.connect();
    });

    afterAll(async () => {
      await admin.deleteTopics(created).catch(() => undefined);
      await admin.disconnect();
    });

    it('creates topics idempotently and describes them', async () => {
      const t = await topic('described', 3);
      await admin.createTopics([{ name: t, partitions: 3, replicationFactor: 1, configs: {} }]);
      expect(await admin.describeTopics([t, `${prefix}.missing`])).toEqual([
        { name: t, partitions: 3, replicationFactor: 1 },
      ]);
      expect((await admin.describeCluster()).brokers).toBeGreaterThanOrEqual(1);
      expect(await admin.listTopics()).toContain(t);
    });

    it('delivers keys, values and headers byte for byte, in order per partition, to explicit partitions', async () => {
      const t = await topic('ordered');
      const producer = driver.createProducer();
      await producer.connect();
      const binary = Buffer.from([0, 1, 2, 254, 255]);
      const records = Array.from({ length: 40 }, (_, i) => ({
        topic: t,
        key: `key-${i % 4}`,
        value: Buffer.concat([binary, Buffer.from(String(i))]),
        partition: i % 2,
        headers: { ce_id: `id-${i}`, raw: binary },
      }));
      const metadata = await producer.send(records);
      await producer.disconnect();
      expect(metadata.filter((m) => m.partition === 0).map((m) => m.offset)).toEqual(
        Array.from({ length: 20 }, (_, i) => String(i)),
      );

      const received = await consume([t], `${prefix}.ordered`, (r) => r.length >= 40);
      for (const partition of [0, 1]) {
        const sequence = received
          .filter((m) => m.partition === partition)
          .map((m) => Number(m.value?.subarray(binary.length).toString()));
        expect(sequence).toEqual(sequence.slice().sort((a, b) => a - b));
      }
      const first = received.find((m) => m.headers['ce_id']?.toString() === 'id-5');
      expect(first?.key?.toString()).toBe('key-1');
      expect(first?.headers['raw']).toEqual(binary);
      expect(first?.value?.subarray(0, binary.length)).toEqual(binary);
      expect(first?.timestamp).toBeGreaterThan(Date.now() - 600_000);
    });

    it('delivers again the messages of a batch that were not resolved', async () => {
      const t = await topic('unresolved', 1);
      const producer = driver.createProducer();
      await producer.connect();
      await producer.send(
        Array.from({ length: 10 }, (_, i) => ({
          topic: t,
          key: 'k',
          value: Buffer.from(String(i)),
          partition: 0,
        })),
      );
      await producer.disconnect();
      let refusedOnce = false;
      const received = await consume(
        [t],
        `${prefix}.unresolved`,
        (r) => r.filter((m) => m.value?.toString() === '9').length >= 1,
        // Leave message 6 (and the rest of that batch) unresolved once.
        (message) => {
          if (message.value?.toString() === '6' && !refusedOnce) {
            refusedOnce = true;
            return false;
          }
          return true;
        },
      );
      const values = received.map((m) => m.value?.toString());
      expect(values.filter((v) => v === '6')).toHaveLength(2);
      expect(values.filter((v) => v === '5')).toHaveLength(1);
    });

    it('resumes a group from its committed offsets and reports them', async () => {
      const t = await topic('committed', 1);
      const producer = driver.createProducer();
      await producer.connect();
      await producer.send(
        Array.from({ length: 5 }, (_, i) => ({
          topic: t,
          key: 'k',
          value: Buffer.from(String(i)),
          partition: 0,
        })),
      );
      const group = `${prefix}.committed`;
      await consume([t], group, (r) => r.length >= 5);
      expect(await admin.fetchGroupOffsets(group, [t])).toEqual([{ topic: t, partition: 0, offset: '5' }]);
      await waitFor(async () => (await admin.describeGroup(group)).members === 0, {
        description: 'the group to be empty',
      });
      await producer.send([{ topic: t, key: 'k', value: Buffer.from('5'), partition: 0 }]);
      await producer.disconnect();
      const second = await consume([t], group, (r) => r.length >= 1);
      expect(second.map((m) => m.value?.toString())).toEqual(['5']);
    });

    it('finds offsets by timestamp and partition ends', async () => {
      const t = await topic('timed', 1);
      const producer = driver.createProducer();
      await producer.connect();
      const base = Date.now() - 60_000;
      await producer.send(
        [0, 10, 20, 30].map((s, i) => ({
          topic: t,
          key: 'k',
          value: Buffer.from(String(i)),
          partition: 0,
          timestamp: base + s * 1_000,
        })),
      );
      await producer.disconnect();
      expect(await admin.fetchTopicOffsets(t)).toEqual([{ partition: 0, low: '0', high: '4' }]);
      expect(await admin.fetchTopicOffsetsByTimestamp(t, base + 15_000)).toEqual([
        { partition: 0, offset: '2' },
      ]);
      // Later than every message: the end of the partition.
      expect(await admin.fetchTopicOffsetsByTimestamp(t, Date.now() + 60_000)).toEqual([
        { partition: 0, offset: '4' },
      ]);
    });

    it('moves the position with seek, and stops and restarts a partition with pause and resume', async () => {
      const t = await topic('seek', 1);
      const producer = driver.createProducer();
      await producer.connect();
      await producer.send(
        Array.from({ length: 6 }, (_, i) => ({
          topic: t,
          key: 'k',
          value: Buffer.from(String(i)),
          partition: 0,
        })),
      );
      await producer.disconnect();
      const received: string[] = [];
      const consumer = driver.createConsumer({ groupId: `${prefix}.seek`, maxWaitTimeMs: 100 });
      await consumer.connect();
      await consumer.subscribe([t], true);
      let paused = false;
      let resumedAt = 0;
      await consumer.run({
        partitionsConsumedConcurrently: 1,
        eachBatch: async (batch, control) => {
          for (const message of batch.messages) {
            const value = message.value?.toString() ?? '';
            if (value === '2' && !paused) {
              // Back to offset 1, and hold the partition for a moment.
              paused = true;
              consumer.seek({ topic: t, partition: 0, offset: '1' });
              consumer.pause([{ topic: t, partition: 0 }]);
              setTimeout(() => {
                resumedAt = Date.now();
                consumer.resume([{ topic: t, partition: 0 }]);
              }, 1_500);
              return;
            }
            received.push(value);
            control.resolveOffset(message.offset);
          }
        },
      });
      try {
        await waitFor(() => received.includes('5'), { timeoutMs: 30_000, description: 'the last message' });
      } finally {
        await consumer.disconnect();
      }
      expect(received).toEqual(['0', '1', '1', '2', '3', '4', '5']);
      expect(resumedAt).toBeGreaterThan(0);
    });

    it('puts a keyed record without a partition where the Java client would (murmur2)', async () => {
      const t = await topic('keyed', 5);
      const producer = driver.createProducer();
      await producer.connect();
      const keys = Array.from({ length: 60 }, (_, i) => `customer-${i}`);
      await producer.send(keys.map((key) => ({ topic: t, key, value: Buffer.from(key) })));
      await producer.disconnect();
      const received = await consume([t], `${prefix}.keyed`, (r) => r.length >= keys.length);
      const expected = keys.map((key) => [key, partitionForKey(key, 5)]);
      expect(received.map((m) => [m.key?.toString(), m.partition]).sort()).toEqual(expected.sort());
      // Both signs of the 32-bit hash occur among these keys (the case a client can get wrong).
      expect(new Set(expected.map(([, p]) => p)).size).toBe(5);
    });

    it('shares the partitions in a group, and a member takes over those of one that leaves', async () => {
      const t = await topic('group', 4);
      const group = `${prefix}.group`;
      const producer = driver.createProducer();
      await producer.connect();
      const send = (from: number) =>
        producer.send(
          Array.from({ length: 40 }, (_, i) => ({
            topic: t,
            key: 'k',
            value: Buffer.from(String(from + i)),
            partition: i % 4,
          })),
        );
      const byMember: Record<'a' | 'b', IncomingMessage[]> = { a: [], b: [] };
      const member = async (name: 'a' | 'b') => {
        const consumer = driver.createConsumer({
          groupId: group,
          maxWaitTimeMs: 100,
          sessionTimeoutMs: 10_000,
        });
        await consumer.connect();
        await consumer.subscribe([t], true);
        await consumer.run({
          partitionsConsumedConcurrently: 4,
          eachBatch: async (batch, control) => {
            for (const message of batch.messages) {
              byMember[name].push(message);
              control.resolveOffset(message.offset);
            }
            await consumer
              .commitOffsets([{ topic: t, partition: batch.partition, offset: batch.nextOffset }])
              .catch(() => undefined);
          },
        });
        return consumer;
      };
      const values = () => new Set([...byMember.a, ...byMember.b].map((m) => m.value?.toString()));
      const a = await member('a');
      await send(0);
      await waitFor(() => values().size >= 40, { timeoutMs: 60_000, description: 'the first 40 messages' });
      const b = await member('b');
      try {
        await waitFor(async () => (await admin.describeGroup(group)).members === 2, {
          timeoutMs: 60_000,
          description: 'both members in the group',
        });
        await waitFor(async () => (await admin.describeGroup(group)).state === 'Stable', {
          timeoutMs: 60_000,
          description: 'the group to settle',
        });
        await send(40);
        await waitFor(() => values().size >= 80, { timeoutMs: 60_000, description: 'the next 40 messages' });
        expect(new Set(byMember.b.map((m) => m.partition)).size).toBeGreaterThan(0);
      } finally {
        await b.disconnect();
      }
      try {
        await send(80);
        await waitFor(() => values().size >= 120, { timeoutMs: 60_000, description: 'the last 40 messages' });
      } finally {
        await a.disconnect();
        await producer.disconnect();
      }
      // Once b left, a read every partition again.
      const lastForty = byMember.a.filter((m) => Number(m.value?.toString()) >= 80);
      expect(new Set(lastForty.map((m) => m.partition))).toEqual(new Set([0, 1, 2, 3]));
    });

    it('never creates a topic by producing to it', async () => {
      const producer = driver.createProducer();
      await producer.connect();
      try {
        await expect(
          producer.send([
            { topic: `${prefix}.not-created`, key: 'k', value: Buffer.from('x'), partition: 0 },
          ]),
        ).rejects.toThrow();
      } finally {
        await producer.disconnect();
      }
      expect(await admin.listTopics()).not.toContain(`${prefix}.not-created`);
    });
  });
}
