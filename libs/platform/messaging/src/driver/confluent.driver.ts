import type { Logger } from '@pardot-x3/observability';
import { DriverCapabilityError } from './driver-capability.error.js';
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
import { recordMetadata } from './kafkajs.driver.js';

/**
 * @confluentinc/kafka-javascript (librdkafka) behind the driver interface, through its
 * KafkaJS-compatible API. The package is loaded at run time and is not a dependency of the repository:
 * its native addon has no prebuilt binary reachable here and takes minutes to build
 * (docs/decisions/0010-kafka-client-behind-a-driver-interface.md). Install it where it is wanted and
 * set KAFKA_CLIENT=confluent (and PX3_CONFLUENT_KAFKA_MODULE to load it from elsewhere).
 *
 * The structural types below are the subset of its API this driver uses.
 */

interface CfHeaders {
  [key: string]: Buffer | string | (Buffer | string)[] | undefined;
}
interface CfMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
  readonly offset: string;
  readonly headers?: CfHeaders;
}
interface CfRecordMetadata {
  readonly topicName: string;
  readonly partition: number;
  readonly baseOffset?: string;
  readonly offset?: string;
}
interface CfProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  sendBatch(batch: { topicMessages: { topic: string; messages: object[] }[] }): Promise<CfRecordMetadata[]>;
}
interface CfBatchPayload {
  readonly batch: {
    readonly topic: string;
    readonly partition: number;
    readonly highWatermark: string;
    readonly messages: CfMessage[];
    lastOffset(): string;
  };
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  isStale(): boolean;
}
interface CfConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(subscription: { topics: string[] }): Promise<void>;
  run(config: {
    eachBatchAutoResolve: boolean;
    partitionsConsumedConcurrently: number;
    eachBatch: (payload: CfBatchPayload) => Promise<void>;
  }): Promise<void>;
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  seek(position: { topic: string; partition: number; offset: string }): void;
  pause(topics: { topic: string; partitions: number[] }[]): void;
  resume(topics: { topic: string; partitions: number[] }[]): void;
}
interface CfAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(): Promise<string[]>;
  createTopics(options: {
    topics: {
      topic: string;
      numPartitions: number;
      replicationFactor: number;
      configEntries: { name: string; value: string }[];
    }[];
  }): Promise<boolean>;
  deleteTopics(options: { topics: string[] }): Promise<void>;
  fetchTopicMetadata(options: {
    topics: string[];
  }): Promise<{ name: string; partitions: { replicas: number[] }[] }[]>;
  fetchTopicOffsets(
    topic: string,
  ): Promise<{ partition: number; offset: string; high: string; low: string }[]>;
  fetchTopicOffsetsByTimestamp(
    topic: string,
    timestamp?: number,
  ): Promise<{ partition: number; offset: string }[]>;
  fetchOffsets(options: {
    groupId: string;
    topics: string[];
  }): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
  describeGroups(groupIds: string[]): Promise<{ groups: { state: number | string; members: unknown[] }[] }>;
}
interface CfKafka {
  producer(config: object): CfProducer;
  consumer(config: object): CfConsumer;
  admin(config?: object): CfAdmin;
}
interface CfLowLevelClient {
  connect(options: object, callback: (error: Error | null, metadata: { brokers: unknown[] }) => void): void;
  disconnect(callback?: () => void): void;
}
interface CfModule {
  readonly KafkaJS: { Kafka: new (config: object) => CfKafka };
  readonly Producer: new (config: object) => CfLowLevelClient;
}

/** librdkafka's consumer group states (ConsumerGroupStates). */
const GROUP_STATES = ['Unknown', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty'];

export class ConfluentKafkaDriver implements KafkaDriver {
  readonly name = 'confluent' as const;
  private readonly kafka: CfKafka;

  constructor(
    private readonly module: CfModule,
    private readonly options: KafkaConnectionOptions,
  ) {
    this.kafka = new module.KafkaJS.Kafka({
      // librdkafka's own property, beside the KafkaJS-style block: the CA trusted for the brokers.
      ...(options.ssl && options.sslCa !== undefined ? { 'ssl.ca.pem': options.sslCa } : {}),
      // The client reads every key it is given: unset options must be absent, not undefined.
      kafkaJS: {
        brokers: [...options.brokers],
        clientId: options.clientId,
        ...(options.ssl ? { ssl: true } : {}),
        ...(options.sasl ? { sasl: { ...options.sasl } } : {}),
        connectionTimeout: options.connectionTimeoutMs ?? 5_000,
        requestTimeout: options.requestTimeoutMs ?? 30_000,
        logger: kafkaJsLogger(options.logger),
      },
    });
  }

  /** Loads the package (PX3_CONFLUENT_KAFKA_MODULE, default @confluentinc/kafka-javascript). */
  static async load(
    options: KafkaConnectionOptions,
    specifier = process.env['PX3_CONFLUENT_KAFKA_MODULE'] || '@confluentinc/kafka-javascript',
  ): Promise<ConfluentKafkaDriver> {
    let loaded: unknown;
    try {
      loaded = await import(specifier);
    } catch (error) {
      throw new Error(
        `KAFKA_CLIENT=confluent needs @confluentinc/kafka-javascript, which could not be loaded from "${specifier}" (${(error as Error).message}). ` +
          'It is not installed with the repository; see docs/messaging.md ("Second Kafka client").',
        { cause: error },
      );
    }
    // CommonJS: Node's ESM import detects only some named exports; the default export has them all.
    const candidate = loaded as Partial<CfModule> & { default?: Partial<CfModule> };
    const module = [candidate.default, candidate].find(
      (m): m is CfModule => m?.KafkaJS !== undefined && m.Producer !== undefined,
    );
    if (!module)
      throw new Error(
        `"${specifier}" does not look like @confluentinc/kafka-javascript (no KafkaJS and Producer exports)`,
      );
    return new ConfluentKafkaDriver(module, options);
  }

  createProducer(options: DriverProducerOptions = {}): DriverProducer {
    const producer = this.kafka.producer({
      kafkaJS: { idempotent: options.idempotent ?? true, acks: -1, allowAutoTopicCreation: false },
    });
    return {
      connect: () => producer.connect(),
      disconnect: () => producer.disconnect(),
      send: async (records: readonly OutgoingRecord[]): Promise<RecordMetadata[]> => {
        if (records.length === 0) return [];
        const byTopic = new Map<string, OutgoingRecord[]>();
        for (const record of records)
          byTopic.set(record.topic, [...(byTopic.get(record.topic) ?? []), record]);
        const results = await producer.sendBatch({
          topicMessages: [...byTopic.entries()].map(([topic, messages]) => ({
            topic,
            messages: messages.map((m) => ({
              key: m.key,
              value: m.value,
              partition: m.partition,
              headers: m.headers ? { ...m.headers } : undefined,
              timestamp: m.timestamp === undefined ? undefined : String(m.timestamp),
            })),
          })),
        });
        return recordMetadata(records, (topic, partition) => {
          const result = results.find((r) => r.topicName === topic && r.partition === partition);
          return result?.baseOffset ?? result?.offset;
        });
      },
    };
  }

  createConsumer(options: DriverConsumerOptions): DriverConsumer {
    return new ConfluentConsumer(this.kafka, options);
  }

  createAdmin(): DriverAdmin {
    return new ConfluentAdmin(this.kafka.admin(), this.module, this.options);
  }
}

/** The underlying consumer is created on subscribe: librdkafka takes `fromBeginning` at construction. */
class ConfluentConsumer implements DriverConsumer {
  private consumer?: CfConsumer;

  constructor(
    private readonly kafka: CfKafka,
    private readonly options: DriverConsumerOptions,
  ) {}

  async connect(): Promise<void> {
    // Deferred to subscribe().
  }

  async subscribe(topics: readonly string[], fromBeginning: boolean): Promise<void> {
    const consumer = this.kafka.consumer({
      kafkaJS: {
        groupId: this.options.groupId,
        fromBeginning,
        autoCommit: false,
        sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
        heartbeatInterval: this.options.heartbeatIntervalMs ?? 3_000,
        rebalanceTimeout: this.options.rebalanceTimeoutMs ?? 60_000,
        maxWaitTimeInMs: this.options.maxWaitTimeMs ?? 500,
        maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1_048_576,
        allowAutoTopicCreation: false,
      },
      'js.consumer.max.batch.size': 500,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics] });
    this.consumer = consumer;
  }

  async run(options: ConsumerRunOptions): Promise<void> {
    await this.required().run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const control: BatchControl = { resolveOffset, heartbeat, isRunning, isStale };
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
      },
    });
  }

  commitOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    return this.required().commitOffsets(
      offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
    );
  }

  seek(position: TopicPartitionOffset): void {
    this.required().seek({ topic: position.topic, partition: position.partition, offset: position.offset });
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.required().pause(byTopic(partitions));
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.required().resume(byTopic(partitions));
  }

  onCrash(): void {
    // librdkafka retries by itself; its KafkaJS API has no crash event.
  }

  async disconnect(): Promise<void> {
    // In-flight batches still commit while the client disconnects: keep the reference until it is done.
    const consumer = this.consumer;
    await consumer?.disconnect();
    if (this.consumer === consumer) this.consumer = undefined;
  }

  private required(): CfConsumer {
    if (!this.consumer) throw new Error('subscribe before running the consumer');
    return this.consumer;
  }
}

class ConfluentAdmin implements DriverAdmin {
  constructor(
    private readonly admin: CfAdmin,
    private readonly module: CfModule,
    private readonly options: KafkaConnectionOptions,
  ) {}

  connect(): Promise<void> {
    return this.admin.connect();
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  /** The KafkaJS API has no describeCluster: the broker list comes from a metadata request. */
  async describeCluster(): Promise<{ clusterId: string; brokers: number }> {
    const client = new this.module.Producer({
      'metadata.broker.list': this.options.brokers.join(','),
      'client.id': `${this.options.clientId}-metadata`,
      ...(this.options.ssl ? { 'security.protocol': this.options.sasl ? 'sasl_ssl' : 'ssl' } : {}),
      ...(this.options.ssl && this.options.sslCa !== undefined ? { 'ssl.ca.pem': this.options.sslCa } : {}),
      ...(this.options.sasl
        ? {
            'security.protocol': this.options.ssl ? 'sasl_ssl' : 'sasl_plaintext',
            'sasl.mechanisms': this.options.sasl.mechanism.toUpperCase(),
            'sasl.username': this.options.sasl.username,
            'sasl.password': this.options.sasl.password,
          }
        : {}),
    });
    const metadata = await new Promise<{ brokers: unknown[] }>((resolve, reject) =>
      client.connect({ timeout: this.options.connectionTimeoutMs ?? 5_000 }, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
    await new Promise<void>((resolve) => client.disconnect(() => resolve()));
    return { clusterId: '', brokers: metadata.brokers.length };
  }

  listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
    const existing = new Set(await this.admin.listTopics());
    const wanted = names.filter((n) => existing.has(n));
    if (wanted.length === 0) return [];
    const topics = await this.admin.fetchTopicMetadata({ topics: wanted });
    return topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.length,
      replicationFactor: t.partitions[0]?.replicas.length ?? 0,
    }));
  }

  async describeTopicConfigs(): Promise<Record<string, Record<string, string>>> {
    throw new DriverCapabilityError('confluent', 'describing topic configurations (topics drift)');
  }

  async createTopics(specs: readonly TopicSpec[]): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length === 0) return;
    await this.admin.createTopics({
      topics: missing.map((s) => ({
        topic: s.name,
        numPartitions: s.partitions,
        replicationFactor: s.replicationFactor,
        configEntries: Object.entries(s.configs).map(([name, value]) => ({ name, value })),
      })),
    });
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const present = names.filter((n) => existing.has(n));
    if (present.length > 0) await this.admin.deleteTopics({ topics: present });
  }

  async fetchTopicOffsets(topic: string): Promise<PartitionOffsets[]> {
    return (await this.admin.fetchTopicOffsets(topic))
      .map((o) => ({ partition: o.partition, low: String(o.low), high: String(o.high) }))
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
        offset:
          String(o.offset) === '-1'
            ? String(ends.find((e) => e.partition === o.partition)?.high ?? '0')
            : String(o.offset),
      }))
      .sort((a, b) => a.partition - b.partition);
  }

  async fetchGroupOffsets(groupId: string, topics: readonly string[]): Promise<TopicPartitionOffset[]> {
    if (topics.length === 0) return [];
    const result = await this.admin.fetchOffsets({ groupId, topics: [...topics] });
    return result.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: String(p.offset) })),
    );
  }

  async setGroupOffsets(): Promise<void> {
    throw new DriverCapabilityError('confluent', "setting a consumer group's offsets (replay reset-group)");
  }

  async describeGroup(groupId: string): Promise<ConsumerGroupState> {
    const { groups } = await this.admin.describeGroups([groupId]);
    const group = groups[0];
    const state =
      typeof group?.state === 'number'
        ? (GROUP_STATES[group.state] ?? 'Unknown')
        : (group?.state ?? 'Unknown');
    return { state, members: group?.members.length ?? 0 };
  }
}

function incomingMessage(topic: string, partition: number, message: CfMessage): IncomingMessage {
  const headers: Record<string, Buffer> = {};
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) headers[name] = Buffer.isBuffer(value) ? value : Buffer.from(value);
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ?? null,
    value: message.value ?? null,
    headers,
    timestamp: Number(message.timestamp),
  };
}

function byTopic(partitions: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
  const out = new Map<string, number[]>();
  for (const p of partitions) out.set(p.topic, [...(out.get(p.topic) ?? []), p.partition]);
  return [...out.entries()].map(([topic, list]) => ({ topic, partitions: list }));
}

/** The KafkaJS-style logger the Confluent client takes, writing warnings and errors to pino. */
function kafkaJsLogger(logger: Logger | undefined): object {
  const make = (): object => ({
    info: (message: string, extra?: object) =>
      logger?.debug({ component: 'confluent-kafka', ...extra }, message),
    debug: (message: string, extra?: object) =>
      logger?.trace({ component: 'confluent-kafka', ...extra }, message),
    warn: (message: string, extra?: object) =>
      logger?.warn({ component: 'confluent-kafka', ...extra }, message),
    error: (message: string, extra?: object) =>
      logger?.error({ component: 'confluent-kafka', ...extra }, message),
    namespace: () => make(),
    setLogLevel: () => undefined,
  });
  return make();
}
