import type { Logger } from '@pardot-x3/observability';

/**
 * The Kafka client behind pardot-x3, as a small interface of our own (docs/decisions/0010-...):
 * services and the messaging layer use only this, so the client library can change (kafkajs,
 * @platformatic/kafka) without touching any service. Every driver passes
 * the same contract tests (`test/support/driver-contract.ts`).
 *
 * Names are physical (namespace prefix included); offsets are decimal strings (64-bit).
 */

export type KafkaDriverName = 'kafkajs' | 'platformatic';

export interface KafkaConnectionOptions {
  readonly clientId: string;
  readonly brokers: readonly string[];
  readonly ssl?: boolean;
  /** PEM text of the CA(s) trusted for the brokers' certificates instead of the system's (with `ssl`). */
  readonly sslCa?: string;
  readonly sasl?: {
    readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    readonly username: string;
    /** Secret: never logged. */
    readonly password: string;
  };
  /** Receives the client library's warnings and errors. */
  readonly logger?: Logger;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

export interface KafkaDriver {
  readonly name: KafkaDriverName;
  createProducer(options?: DriverProducerOptions): DriverProducer;
  createConsumer(options: DriverConsumerOptions): DriverConsumer;
  createAdmin(): DriverAdmin;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  /** The next offset to read. */
  readonly offset: string;
}

// --- Producing ---------------------------------------------------------------------------------

export interface OutgoingRecord {
  readonly topic: string;
  readonly key: Buffer | string | null;
  /** Null: a tombstone (compacted topics). */
  readonly value: Buffer | null;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
  /** Explicit partition; otherwise chosen from the key (murmur2, like the Java client). */
  readonly partition?: number;
  /** CreateTime in ms; otherwise now. */
  readonly timestamp?: number;
}

export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface DriverProducerOptions {
  /** Idempotent producer (acks=all, no duplicates from internal retries). Default true. */
  readonly idempotent?: boolean;
}

export interface DriverProducer {
  connect(): Promise<void>;
  /** Sends records (any topics) and resolves once every one is acknowledged by all in-sync replicas. */
  send(records: readonly OutgoingRecord[]): Promise<RecordMetadata[]>;
  disconnect(): Promise<void>;
}

// --- Consuming ---------------------------------------------------------------------------------

export interface IncomingMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Header values; for a header sent several times, the last one. */
  readonly headers: Readonly<Record<string, Buffer>>;
  /** Kafka timestamp in ms. */
  readonly timestamp: number;
}

export interface IncomingBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly IncomingMessage[];
  /** The partition's end offset when the batch was fetched (for lag). */
  readonly highWatermark: string;
  /**
   * The offset after this batch: after the last message, or after trailing control records of
   * transactions (which never reach `messages`). Commit this when the whole batch is done.
   */
  readonly nextOffset: string;
}

export interface BatchControl {
  /**
   * Marks every message up to and including `offset` as handled: the next batch of this partition
   * starts after it. Messages not resolved when the batch handler returns are delivered again.
   * Resolving is not committing.
   */
  resolveOffset(offset: string): void;
  /** Keeps the group membership alive during a long batch. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping: finish the message in hand and return. */
  isRunning(): boolean;
  /** True when the partition was sought or reassigned while the batch was handled: stop and return. */
  isStale(): boolean;
}

export interface DriverConsumerOptions {
  readonly groupId: string;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly rebalanceTimeoutMs?: number;
  /** How long a fetch waits for data before returning an empty batch (low values lower latency). */
  readonly maxWaitTimeMs?: number;
  readonly maxBytesPerPartition?: number;
}

export interface ConsumerRunOptions {
  /** Batches of different partitions handled at the same time (order holds within a partition). */
  readonly partitionsConsumedConcurrently: number;
  readonly eachBatch: (batch: IncomingBatch, control: BatchControl) => Promise<void>;
}

export interface DriverConsumer {
  connect(): Promise<void>;
  /** Topics to read; `fromBeginning` applies where the group has no committed offset. */
  subscribe(topics: readonly string[], fromBeginning: boolean): Promise<void>;
  /** Starts fetching; resolves once running (batches keep arriving until {@link stop}). */
  run(options: ConsumerRunOptions): Promise<void>;
  /** Commits offsets (the next offset to read) for the group. */
  commitOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Moves the fetch position of an assigned partition (call once running). */
  seek(position: TopicPartitionOffset): void;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** Called when the client gives up on the group after internal retries (the runner stops then). */
  onCrash(listener: (error: Error) => void): void;
  /** Stops fetching, lets in-flight batches finish, leaves the group. */
  disconnect(): Promise<void>;
}

// --- Administration ------------------------------------------------------------------------------

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level configuration, e.g. cleanup.policy, retention.ms, min.insync.replicas. */
  readonly configs: Readonly<Record<string, string>>;
}

export interface TopicDescription {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface PartitionOffsets {
  readonly partition: number;
  /** First offset still stored. */
  readonly low: string;
  /** Offset the next message will get (end of the partition). */
  readonly high: string;
}

export interface ConsumerGroupState {
  /** Kafka's group state: Empty, Stable, PreparingRebalance, CompletingRebalance, Dead (or Unknown). */
  readonly state: string;
  readonly members: number;
}

export interface DriverAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  describeCluster(): Promise<{ readonly clusterId: string; readonly brokers: number }>;
  listTopics(): Promise<string[]>;
  /** Partitions and replication factor of existing topics (unknown names are left out). */
  describeTopics(names: readonly string[]): Promise<TopicDescription[]>;
  /** Topic-level configuration overrides and defaults of existing topics, by topic name. */
  describeTopicConfigs(names: readonly string[]): Promise<Record<string, Record<string, string>>>;
  /** Creates the topics that do not exist yet; existing ones are left as they are. */
  createTopics(specs: readonly TopicSpec[]): Promise<void>;
  deleteTopics(names: readonly string[]): Promise<void>;
  fetchTopicOffsets(topic: string): Promise<PartitionOffsets[]>;
  /**
   * Per partition, the earliest offset whose timestamp is at or after `timestamp`; the partition's end
   * offset where no message is that recent.
   */
  fetchTopicOffsetsByTimestamp(
    topic: string,
    timestamp: number,
  ): Promise<{ partition: number; offset: string }[]>;
  /** Committed offsets of a group for the topics (-1 where none). */
  fetchGroupOffsets(groupId: string, topics: readonly string[]): Promise<TopicPartitionOffset[]>;
  /** Sets a group's committed offsets; the group must have no active members. */
  setGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  describeGroup(groupId: string): Promise<ConsumerGroupState>;
}
