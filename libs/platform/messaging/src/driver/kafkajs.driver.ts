import kafkajs, {
  type Admin,
  type Consumer,
  type IHeaders,
  type KafkaMessage,
  type LogEntry,
  type Producer,
  type SASLOptions,
} from 'kafkajs';
import { explainKafkaConnectionError, type KafkaConnectionTarget } from '@pardot-x3/config';
import type { Logger } from '@pardot-x3/observability';
import type {
  BatchControl,
  ConsumerGroupState,
  ConsumerRunOptions,
  DriverAdmin,
  DriverConsumer,
  DriverConsumerOptions,
  DriverProducer,
  DriverProducerOptions,
  IncomingMessage,
  KafkaConnectionOptions,
  KafkaDriver,
  OutgoingRecord,
  PartitionOffsets,
  RecordMetadata,
  TopicDescription,
  TopicPartition,
  TopicPartitionOffset,
  TopicSpec,
} from './kafka-driver.types.js';

// kafkajs is CommonJS and Node detects only some of its named exports: take them from the default export.
const { ConfigResourceTypes, Kafka, logLevel, Partitioners } = kafkajs;
type Kafka = InstanceType<typeof Kafka>;

/** kafkajs 2.x behind the driver interface. */
export class KafkaJsDriver implements KafkaDriver {
  readonly name = 'kafkajs' as const;
  private readonly kafka: Kafka;
  private readonly target: KafkaConnectionTarget;

  constructor(options: KafkaConnectionOptions) {
    this.target = options;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      // A CA of our own replaces the system's list for these connections (tls.connect `ca`).
      ssl: options.ssl && options.sslCa !== undefined ? { ca: [options.sslCa] } : options.ssl,
      sasl: options.sasl ? ({ ...options.sasl } as SASLOptions) : undefined,
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      logLevel: logLevel.WARN,
      logCreator: pinoLogCreator(options.logger),
    });
  }

  createProducer(options: DriverProducerOptions = {}): DriverProducer {
    return new KafkaJsProducer(
      this.target,
      this.kafka.producer({
        idempotent: options.idempotent ?? true,
        // The messaging layer chooses partitions itself (murmur2, like Java); this default only serves keyless records.
        createPartitioner: Partitioners.DefaultPartitioner,
        // One request in flight per broker keeps sequence numbers in order (tulios/kafkajs#598).
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      }),
    );
  }

  createConsumer(options: DriverConsumerOptions): DriverConsumer {
    return new KafkaJsConsumer(
      this.target,
      this.kafka.consumer({
        groupId: options.groupId,
        sessionTimeout: options.sessionTimeoutMs ?? 30_000,
        heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
        rebalanceTimeout: options.rebalanceTimeoutMs ?? 60_000,
        maxWaitTimeInMs: options.maxWaitTimeMs ?? 500,
        maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
        allowAutoTopicCreation: false,
      }),
    );
  }

  createAdmin(): DriverAdmin {
    return new KafkaJsAdmin(this.target, this.kafka.admin());
  }
}

/** Connects, turning refused credentials or an untrusted certificate into an error that names the setting. */
async function connectExplained(target: KafkaConnectionTarget, connect: () => Promise<void>): Promise<void> {
  try {
    await connect();
  } catch (error) {
    throw explainKafkaConnectionError(error, target);
  }
}

class KafkaJsProducer implements DriverProducer {
  constructor(
    private readonly target: KafkaConnectionTarget,
    private readonly producer: Producer,
  ) {}

  connect(): Promise<void> {
    return connectExplained(this.target, () => this.producer.connect());
  }

  async send(records: readonly OutgoingRecord[]): Promise<RecordMetadata[]> {
    if (records.length === 0) return [];
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const record of records) {
      const list = byTopic.get(record.topic) ?? [];
      list.push(record);
      byTopic.set(record.topic, list);
    }
    const results = await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic.entries()].map(([topic, messages]) => ({
        topic,
        messages: messages.map((m) => ({
          key: m.key,
          value: m.value,
          headers: m.headers ? { ...m.headers } : undefined,
          partition: m.partition,
          timestamp: m.timestamp === undefined ? undefined : String(m.timestamp),
        })),
      })),
    });
    return recordMetadata(records, (topic, partition) => {
      const result = results.find((r) => r.topicName === topic && r.partition === partition);
      return result?.baseOffset ?? result?.offset;
    });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

/**
 * Per-record metadata from per-partition base offsets: records sent to one partition in one request
 * are stored contiguously in request order. Records without an explicit partition get offset "-1".
 */
export function recordMetadata(
  records: readonly OutgoingRecord[],
  baseOffsetOf: (topic: string, partition: number) => string | undefined,
): RecordMetadata[] {
  const seen = new Map<string, bigint>();
  return records.map((record) => {
    if (record.partition === undefined) return { topic: record.topic, partition: -1, offset: '-1' };
    const slot = `${record.topic}\u0000${record.partition}`;
    const index = seen.get(slot) ?? 0n;
    seen.set(slot, index + 1n);
    const base = baseOffsetOf(record.topic, record.partition);
    return {
      topic: record.topic,
      partition: record.partition,
      offset: base === undefined ? '-1' : String(BigInt(base) + index),
    };
  });
}

class KafkaJsConsumer implements DriverConsumer {
  private readonly crashListeners: ((error: Error) => void)[] = [];

  constructor(
    private readonly target: KafkaConnectionTarget,
    private readonly consumer: Consumer,
  ) {
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      // Only a crash kafkajs gives up on is final; the others restart the consumer by themselves.
      if (!event.payload.restart) {
        const error = explainKafkaConnectionError(event.payload.error, this.target) as Error;
        for (const listener of this.crashListeners) listener(error);
      }
    });
  }

  connect(): Promise<void> {
    return connectExplained(this.target, () => this.consumer.connect());
  }

  subscribe(topics: readonly string[], fromBeginning: boolean): Promise<void> {
    return this.consumer.subscribe({ topics: [...topics], fromBeginning });
  }

  run(options: ConsumerRunOptions): Promise<void> {
    return this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const control: BatchControl = { resolveOffset, heartbeat, isRunning, isStale };
        try {
          await options.eachBatch(
            {
              topic: batch.topic,
              partition: batch.partition,
              highWatermark: batch.highWatermark,
              nextOffset: (BigInt(batch.lastOffset()) + 1n).toString(),
              messages: batch.messages.map((m) => incomingMessage(batch.topic, batch.partition, m)),
            },
            control,
          );
        } catch (error) {
          // kafkajs restarts the consumer (from the committed offsets) only for retriable errors.
          throw Object.assign(
            new Error(error instanceof Error ? error.message : String(error), { cause: error }),
            {
              retriable: true,
            },
          );
        }
      },
    });
  }

  commitOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    return this.consumer.commitOffsets(
      offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
    );
  }

  seek(position: TopicPartitionOffset): void {
    this.consumer.seek({ topic: position.topic, partition: position.partition, offset: position.offset });
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.consumer.pause(byTopic(partitions));
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.consumer.resume(byTopic(partitions));
  }

  onCrash(listener: (error: Error) => void): void {
    this.crashListeners.push(listener);
  }

  disconnect(): Promise<void> {
    return this.consumer.disconnect();
  }
}

class KafkaJsAdmin implements DriverAdmin {
  constructor(
    private readonly target: KafkaConnectionTarget,
    private readonly admin: Admin,
  ) {}

  connect(): Promise<void> {
    return connectExplained(this.target, () => this.admin.connect());
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  async describeCluster(): Promise<{ clusterId: string; brokers: number }> {
    const cluster = await this.admin.describeCluster();
    return { clusterId: cluster.clusterId, brokers: cluster.brokers.length };
  }

  listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
    const existing = new Set(await this.admin.listTopics());
    const wanted = names.filter((n) => existing.has(n));
    if (wanted.length === 0) return [];
    const { topics } = await this.admin.fetchTopicMetadata({ topics: wanted });
    return topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.length,
      replicationFactor: t.partitions[0]?.replicas.length ?? 0,
    }));
  }

  async describeTopicConfigs(names: readonly string[]): Promise<Record<string, Record<string, string>>> {
    if (names.length === 0) return {};
    const { resources } = await this.admin.describeConfigs({
      includeSynonyms: false,
      resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    });
    return Object.fromEntries(
      resources.map((resource) => [
        resource.resourceName,
        Object.fromEntries(resource.configEntries.map((e) => [e.configName, e.configValue])),
      ]),
    );
  }

  async createTopics(specs: readonly TopicSpec[]): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length === 0) return;
    await this.admin.createTopics({
      // kafkajs's own wait gives up too early when many topics are created at once: wait below instead.
      waitForLeaders: false,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor: spec.replicationFactor,
        configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
      })),
    });
    await this.waitForLeaders(missing.map((s) => s.name));
  }

  /** Resolves once every partition of the topics has a leader (the topics can be used). */
  private async waitForLeaders(topics: readonly string[], timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const { topics: metadata } = await this.admin.fetchTopicMetadata({ topics: [...topics] });
        if (
          metadata.length === topics.length &&
          metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
        )
          return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline)
        throw new Error(`topics ${topics.join(', ')} have no leader after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const present = names.filter((n) => existing.has(n));
    if (present.length > 0) await this.admin.deleteTopics({ topics: present });
  }

  async fetchTopicOffsets(topic: string): Promise<PartitionOffsets[]> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets
      .map((o) => ({ partition: o.partition, low: o.low, high: o.high }))
      .sort((a, b) => a.partition - b.partition);
  }

  async fetchTopicOffsetsByTimestamp(
    topic: string,
    timestamp: number,
  ): Promise<{ partition: number; offset: string }[]> {
    const [byTime, ends] = await Promise.all([
      this.admin.fetchTopicOffsetsByTimestamp(topic, timestamp),
      this.admin.fetchTopicOffsets(topic),
    ]);
    return byTime
      .map((o) => ({
        partition: o.partition,
        offset: o.offset === '-1' ? (ends.find((e) => e.partition === o.partition)?.high ?? '0') : o.offset,
      }))
      .sort((a, b) => a.partition - b.partition);
  }

  async fetchGroupOffsets(groupId: string, topics: readonly string[]): Promise<TopicPartitionOffset[]> {
    if (topics.length === 0) return [];
    const result = await this.admin.fetchOffsets({ groupId, topics: [...topics] });
    return result.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: p.offset })),
    );
  }

  async setGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    for (const [topic, partitions] of Object.entries(groupBy(offsets, (o) => o.topic))) {
      await this.admin.setOffsets({
        groupId,
        topic,
        partitions: partitions.map((p) => ({ partition: p.partition, offset: p.offset })),
      });
    }
  }

  async describeGroup(groupId: string): Promise<ConsumerGroupState> {
    const { groups } = await this.admin.describeGroups([groupId]);
    const group = groups[0];
    return { state: group?.state ?? 'Unknown', members: group?.members.length ?? 0 };
  }
}

function incomingMessage(topic: string, partition: number, message: KafkaMessage): IncomingMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ?? null,
    value: message.value ?? null,
    headers: normaliseHeaders(message.headers),
    timestamp: Number(message.timestamp),
  };
}

function normaliseHeaders(headers: IHeaders | undefined): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) out[name] = Buffer.isBuffer(value) ? value : Buffer.from(value);
  }
  return out;
}

function byTopic(partitions: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
  return Object.entries(groupBy(partitions, (p) => p.topic)).map(([topic, list]) => ({
    topic,
    partitions: list.map((p) => p.partition),
  }));
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const item of items) (out[keyOf(item)] ??= []).push(item);
  return out;
}

/** kafkajs log entries into the service's logger: errors and warnings only (kafkajs is chatty). */
function pinoLogCreator(logger: Logger | undefined) {
  return () =>
    ({ level, log }: LogEntry): void => {
      if (!logger) return;
      const { message, ...extra } = log;
      const fields = { component: 'kafkajs', ...extra };
      if (level === logLevel.ERROR) logger.error(fields, message);
      else if (level === logLevel.WARN) logger.warn(fields, message);
      else logger.debug(fields, message);
    };
}
