import {
  Admin,
  ConfigResourceTypes,
  ConnectionPool,
  Consumer,
  FetchIsolationLevels,
  ListOffsetTimestamps,
  ProduceAcks,
  Producer,
  type FetchOptions,
  type GroupAssignment,
  type KafkaRecord,
  type RecordsBatch,
  type SASLOptions,
} from '@platformatic/kafka';
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
  IncomingBatch,
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
import { murmur2 } from './murmur2-partitioner.js';

type FetchRequestTopic = FetchOptions<Buffer, Buffer, Buffer, Buffer>['topics'][number];
type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>;

/** Kafka's OFFSET_OUT_OF_RANGE error code (the position is before the log start or after its end). */
const OFFSET_OUT_OF_RANGE = 1;
/** Record batch attribute bit of transaction markers (never delivered). */
const IS_CONTROL = 0b10_0000;
/** Consecutive failed fetches after which the consumer gives up (each is already retried by the client). */
const FETCH_FAILURES_BEFORE_CRASH = 5;

/** The connection settings every client of the library takes (brokers, TLS, SASL, timeouts). */
interface BaseClientOptions {
  readonly clientId: string;
  readonly bootstrapBrokers: string[];
  readonly tls?: { ca?: string[] };
  readonly sasl?: SASLOptions;
  readonly connectTimeout: number;
  readonly timeout: number;
  readonly retries: number;
}

/**
 * @platformatic/kafka (pure TypeScript, no native addon) behind the driver interface
 * (docs/decisions/0133-kafka-client-platformatic.md).
 *
 * The producer and the admin client map one to one. The consumer does not use the library's message
 * stream: it keeps the library's group membership (join, heartbeats, rebalances, commits) and fetches
 * itself, so that it can offer what the messaging layer relies on and the stream lacks — batches per
 * partition handled concurrently, `resolveOffset` (what is not resolved is delivered again), `seek`,
 * and `pause`/`resume` of single partitions.
 */
export class PlatformaticKafkaDriver implements KafkaDriver {
  readonly name = 'platformatic' as const;
  private readonly base: BaseClientOptions;
  private readonly target: KafkaConnectionTarget;

  constructor(private readonly options: KafkaConnectionOptions) {
    this.target = options;
    this.base = {
      clientId: options.clientId,
      bootstrapBrokers: [...options.brokers],
      // tls.connect options: a CA of our own replaces the system's list; `{}` is TLS with the system's.
      ...(options.ssl ? { tls: options.sslCa !== undefined ? { ca: [options.sslCa] } : {} } : {}),
      ...(options.sasl
        ? {
            sasl: {
              mechanism: SASL_MECHANISMS[options.sasl.mechanism],
              username: options.sasl.username,
              password: options.sasl.password,
            },
          }
        : {}),
      connectTimeout: options.connectionTimeoutMs ?? 5_000,
      timeout: options.requestTimeoutMs ?? 30_000,
      // Set explicitly: an idempotent producer otherwise retries without end (a missing topic hangs a send).
      retries: 5,
    };
  }

  createProducer(options: DriverProducerOptions = {}): DriverProducer {
    return new PlatformaticProducer(this.target, this.base, options.idempotent ?? true);
  }

  createConsumer(options: DriverConsumerOptions): DriverConsumer {
    return new PlatformaticConsumer(this.target, this.base, options, this.options.logger);
  }

  createAdmin(): DriverAdmin {
    return new PlatformaticAdmin(this.target, this.base);
  }
}

const SASL_MECHANISMS = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
} as const;

/** Turns refused credentials or an untrusted certificate into an error that names the setting. */
async function explained<T>(target: KafkaConnectionTarget, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw explainKafkaConnectionError(error, target);
  }
}

/**
 * The Java client's partition of a key, which the library leaves to its caller: its own default
 * (`murmur2 >>> 0`) differs from Java's (`murmur2 & 0x7fffffff`) for half of the keys. The library
 * takes the result modulo the partition count. Keyless records go round robin.
 */
function javaCompatiblePartitioner(): (message: unknown, key: Buffer | undefined) => number {
  let next = 0;
  return (_message, key) => (key ? murmur2(key) & 0x7fffffff : next++ & 0x7fffffff);
}

class PlatformaticProducer implements DriverProducer {
  private readonly producer: Producer;

  constructor(
    private readonly target: KafkaConnectionTarget,
    base: BaseClientOptions,
    idempotent: boolean,
  ) {
    this.producer = new Producer({
      ...base,
      idempotent,
      acks: ProduceAcks.ALL,
      autocreateTopics: false,
      partitioner: javaCompatiblePartitioner(),
    });
  }

  /** The library connects lazily: a metadata request proves the brokers answer (and accept the credentials). */
  async connect(): Promise<void> {
    await explained(this.target, () => this.producer.metadata({ topics: [] }));
  }

  async send(records: readonly OutgoingRecord[]): Promise<RecordMetadata[]> {
    if (records.length === 0) return [];
    const result = await this.producer.send({
      messages: records.map((record) => ({
        topic: record.topic,
        ...(record.key !== null
          ? { key: typeof record.key === 'string' ? Buffer.from(record.key) : record.key }
          : {}),
        // A tombstone: a record with a null value (the library writes an absent value as null).
        ...(record.value !== null ? { value: record.value } : {}),
        headers: outgoingHeaders(record.headers),
        ...(record.partition !== undefined ? { partition: record.partition } : {}),
        ...(record.timestamp !== undefined ? { timestamp: BigInt(record.timestamp) } : {}),
      })),
    });
    const offsets = result.offsets ?? [];
    return recordMetadata(records, (topic, partition) => {
      const found = offsets.find((o) => o.topic === topic && o.partition === partition);
      return found === undefined ? undefined : String(found.offset);
    });
  }

  async disconnect(): Promise<void> {
    await this.producer.close();
  }
}

function outgoingHeaders(headers: OutgoingRecord['headers']): Map<Buffer, Buffer> {
  const out = new Map<Buffer, Buffer>();
  for (const [name, value] of Object.entries(headers ?? {}))
    out.set(Buffer.from(name), typeof value === 'string' ? Buffer.from(value) : value);
  return out;
}

// --- Consuming -----------------------------------------------------------------------------------

/** What the consumer knows of one assigned partition. */
interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
  /** Bumped by seek, redelivery and revocation: fetched data and handlers of an older epoch are stale. */
  epoch: number;
  /** False until the starting position (committed offset, seek or reset) is known. */
  ready: boolean;
  /** Where the next batch handed to the handler starts. */
  position: bigint;
  /** Where the next fetch starts (after the batch in hand and the one waiting). */
  fetchPosition: bigint;
  /** A fetched batch waiting for the partition's handler to be free (one fetch ahead). */
  waiting?: FetchedBatch;
  /** A fetch for this partition is in flight. */
  fetching: boolean;
  busy: boolean;
}

interface FetchedBatch {
  readonly epoch: number;
  readonly start: bigint;
  readonly messages: IncomingMessage[];
  readonly highWatermark: bigint;
  readonly nextOffset: bigint;
}

class PlatformaticConsumer implements DriverConsumer {
  private consumer?: Consumer;
  private pool?: ConnectionPool;
  private topics: string[] = [];
  private fromBeginning = true;
  private runOptions?: ConsumerRunOptions;
  private running = false;
  private readonly partitions = new Map<string, PartitionState>();
  private readonly pendingSeeks = new Map<string, bigint>();
  private readonly paused = new Set<string>();
  private readonly inflightNodes = new Set<number>();
  private readonly handlers = new Set<Promise<void>>();
  private readonly crashListeners: ((error: Error) => void)[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private fetchFailures = 0;
  private scheduling = false;
  private rescheduleWanted = false;
  private nextHandlerIndex = 0;

  constructor(
    private readonly target: KafkaConnectionTarget,
    private readonly base: BaseClientOptions,
    private readonly options: DriverConsumerOptions,
    private readonly logger: Logger | undefined,
  ) {}

  async connect(): Promise<void> {
    const consumer = new Consumer({
      ...this.base,
      groupId: this.options.groupId,
      autocommit: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3_000,
      rebalanceTimeout: this.options.rebalanceTimeoutMs ?? 60_000,
      maxWaitTime: this.options.maxWaitTimeMs ?? 500,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1_048_576,
      minBytes: 1,
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
    });
    this.consumer = consumer;
    // Fetches wait up to maxWaitTime on the broker: on connections of their own, so that heartbeats
    // and commits (on the client's connections) never queue behind them.
    this.pool = new ConnectionPool(`${this.base.clientId}-fetch`, {
      connectTimeout: this.base.connectTimeout,
      ...(this.base.tls ? { tls: this.base.tls } : {}),
      ...(this.base.sasl ? { sasl: this.base.sasl } : {}),
    });
    await explained(this.target, () => consumer.metadata({ topics: [] }));
  }

  async subscribe(topics: readonly string[], fromBeginning: boolean): Promise<void> {
    this.topics = [...new Set([...this.topics, ...topics])];
    this.fromBeginning = fromBeginning;
  }

  async run(options: ConsumerRunOptions): Promise<void> {
    const consumer = this.required();
    this.runOptions = options;
    this.running = true;
    for (const topic of this.topics) consumer.topics.track(topic);
    consumer.on('consumer:group:join', () => this.assign(consumer.assignments ?? []));
    await explained(this.target, () => consumer.joinGroup({}));
    this.assign(consumer.assignments ?? []);
  }

  async commitOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const lost = offsets.filter((o) => !this.partitions.has(partitionKey(o.topic, o.partition)));
    if (lost.length > 0)
      throw new Error(
        `cannot commit ${lost.map((o) => `${o.topic}[${o.partition}]`).join(', ')}: no longer assigned to this consumer (rebalanced)`,
      );
    await this.required().commit({
      offsets: offsets.map((o) => ({
        topic: o.topic,
        partition: o.partition,
        offset: BigInt(o.offset),
        leaderEpoch: -1,
      })),
    });
  }

  seek(position: TopicPartitionOffset): void {
    const key = partitionKey(position.topic, position.partition);
    const offset = BigInt(position.offset);
    const state = this.partitions.get(key);
    if (!state?.ready) {
      // Applied once the partition is assigned and its committed offset read.
      this.pendingSeeks.set(key, offset);
      return;
    }
    this.reposition(state, offset);
    this.schedule();
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) {
      const key = partitionKey(p.topic, p.partition);
      this.paused.add(key);
      const state = this.partitions.get(key);
      // A fetched batch not handed out yet is dropped: it is fetched again on resume.
      if (state?.waiting) this.reposition(state, state.position);
    }
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.paused.delete(partitionKey(p.topic, p.partition));
    this.schedule();
  }

  onCrash(listener: (error: Error) => void): void {
    this.crashListeners.push(listener);
  }

  async disconnect(): Promise<void> {
    this.running = false;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    // In-flight batches finish (and commit) before the consumer leaves the group.
    while (this.handlers.size > 0) await Promise.allSettled([...this.handlers]);
    const consumer = this.consumer;
    const pool = this.pool;
    this.consumer = undefined;
    this.pool = undefined;
    for (const state of this.partitions.values()) state.epoch += 1;
    this.partitions.clear();
    await consumer?.close(true).catch((error: unknown) => {
      this.logger?.warn({ err: error, component: 'platformatic-kafka' }, 'leaving the consumer group failed');
    });
    await pool?.close().catch(() => undefined);
  }

  private required(): Consumer {
    if (!this.consumer) throw new Error('connect the consumer first');
    return this.consumer;
  }

  /** A (re)join's assignment: revoked partitions become stale, new ones start at their committed offset. */
  private assign(assignments: readonly GroupAssignment[]): void {
    if (!this.running) return;
    const assigned = new Set<string>();
    const added: PartitionState[] = [];
    for (const { topic, partitions } of assignments)
      for (const partition of partitions) {
        const key = partitionKey(topic, partition);
        assigned.add(key);
        if (this.partitions.has(key)) continue;
        const state: PartitionState = {
          topic,
          partition,
          key,
          epoch: 0,
          ready: false,
          position: 0n,
          fetchPosition: 0n,
          fetching: false,
          busy: false,
        };
        this.partitions.set(key, state);
        added.push(state);
      }
    for (const [key, state] of this.partitions)
      if (!assigned.has(key)) {
        state.epoch += 1;
        state.waiting = undefined;
        this.partitions.delete(key);
      }
    if (added.length > 0)
      this.startingPositions(added).catch((error: unknown) => this.fetchFailed(error, added));
  }

  /** Committed offsets, or the start (fromBeginning) or end of the partition where the group has none. */
  private async startingPositions(states: readonly PartitionState[]): Promise<void> {
    const consumer = this.required();
    const byTopic = groupPartitions(states);
    const committed = await consumer.listCommittedOffsets({
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    });
    const missing = states.filter((s) => (committed.get(s.topic)?.[s.partition] ?? -1n) < 0n);
    const resets = missing.length > 0 ? await this.resetOffsets(missing) : new Map<string, bigint>();
    for (const state of states) {
      if (this.partitions.get(state.key) !== state) continue;
      const seek = this.pendingSeeks.get(state.key);
      this.pendingSeeks.delete(state.key);
      const start = seek ?? resets.get(state.key) ?? committed.get(state.topic)?.[state.partition] ?? 0n;
      state.position = start;
      state.fetchPosition = start;
      state.ready = true;
    }
    this.schedule();
  }

  private async resetOffsets(states: readonly PartitionState[]): Promise<Map<string, bigint>> {
    const byTopic = groupPartitions(states);
    const offsets = await this.required().listOffsets({
      topics: [...byTopic.keys()],
      partitions: Object.fromEntries(byTopic),
      timestamp: this.fromBeginning ? ListOffsetTimestamps.EARLIEST : ListOffsetTimestamps.LATEST,
    });
    return new Map(states.map((s) => [s.key, offsets.get(s.topic)?.[s.partition] ?? 0n]));
  }

  /** Drops what was fetched ahead and reads again from `offset`. */
  private reposition(state: PartitionState, offset: bigint): void {
    state.epoch += 1;
    state.waiting = undefined;
    state.position = offset;
    state.fetchPosition = offset;
  }

  /** Starts the fetches and handlers that can start; called whenever something changed. */
  private schedule(): void {
    if (!this.running) return;
    this.dispatch();
    if (this.scheduling) {
      this.rescheduleWanted = true;
      return;
    }
    this.scheduling = true;
    this.fetchReady()
      .catch((error: unknown) => this.fetchFailed(error, []))
      .finally(() => {
        this.scheduling = false;
        if (this.rescheduleWanted) {
          this.rescheduleWanted = false;
          this.schedule();
        }
      });
  }

  /** One fetch per leader broker without one in flight, for the partitions that have room. */
  private async fetchReady(): Promise<void> {
    const consumer = this.consumer;
    const pool = this.pool;
    if (!consumer || !pool) return;
    const wanted = [...this.partitions.values()].filter(
      (s) => s.ready && !s.fetching && !s.waiting && !this.paused.has(s.key),
    );
    if (wanted.length === 0) return;
    const metadata = await consumer.metadata({ topics: this.topics });
    const byNode = new Map<number, PartitionState[]>();
    for (const state of wanted) {
      const topic = metadata.topics.get(state.topic);
      const leader = topic?.partitions[state.partition]?.leader;
      if (leader === undefined || leader < 0 || this.inflightNodes.has(leader)) continue;
      byNode.set(leader, [...(byNode.get(leader) ?? []), state]);
    }
    for (const [node, states] of byNode) {
      const topicIds = new Map<string, string>();
      const requests = new Map<string, FetchRequestTopic>();
      const requested = states.map((state) => ({ state, epoch: state.epoch, offset: state.fetchPosition }));
      for (const { state, offset } of requested) {
        const id = metadata.topics.get(state.topic)?.id ?? state.topic;
        topicIds.set(id, state.topic);
        const request = requests.get(id) ?? { topicId: id, partitions: [] };
        request.partitions.push({
          partition: state.partition,
          fetchOffset: offset,
          partitionMaxBytes: this.options.maxBytesPerPartition ?? 1_048_576,
          currentLeaderEpoch: -1,
          lastFetchedEpoch: -1,
        });
        requests.set(id, request);
        state.fetching = true;
      }
      this.inflightNodes.add(node);
      consumer
        .fetch({ node, topics: [...requests.values()], connectionPool: pool })
        .then(
          (response) => {
            this.fetchFailures = 0;
            this.received(response, topicIds, requested);
          },
          (error: unknown) => this.fetchFailed(error, states, topicIds),
        )
        .finally(() => {
          this.inflightNodes.delete(node);
          for (const { state } of requested) state.fetching = false;
          this.schedule();
        });
    }
  }

  private received(
    response: FetchResponse,
    topicIds: ReadonlyMap<string, string>,
    requested: readonly { state: PartitionState; epoch: number; offset: bigint }[],
  ): void {
    for (const topicResponse of response.responses) {
      const topic = topicIds.get(topicResponse.topicId) ?? topicResponse.topicId;
      for (const partitionResponse of topicResponse.partitions) {
        const request = requested.find(
          (r) => r.state.topic === topic && r.state.partition === partitionResponse.partitionIndex,
        );
        // Partitions kept in the broker's fetch session but not asked for this time carry nothing new.
        if (!request) continue;
        const { state, epoch, offset } = request;
        if (state.epoch !== epoch || this.partitions.get(state.key) !== state) continue;
        const batch = fetchedBatch(
          topic,
          partitionResponse.partitionIndex,
          partitionResponse.records ?? [],
          offset,
          epoch,
          partitionResponse.highWatermark,
        );
        if (!batch) continue;
        state.fetchPosition = batch.nextOffset;
        state.waiting = batch;
      }
    }
    this.dispatch();
  }

  private fetchFailed(
    error: unknown,
    states: readonly PartitionState[],
    topicIds?: ReadonlyMap<string, string>,
  ): void {
    if (!this.running) return;
    const outOfRange = outOfRangePartitions(error, topicIds);
    if (outOfRange.length > 0) {
      const reset = states.filter((s) =>
        outOfRange.some((o) => o.topic === s.topic && o.partition === s.partition),
      );
      this.logger?.warn(
        { component: 'platformatic-kafka', partitions: reset.map((s) => s.key) },
        `fetch offset out of range: reading from the ${this.fromBeginning ? 'start' : 'end'} of the partition`,
      );
      this.resetOffsets(reset)
        .then((offsets) => {
          for (const state of reset) {
            const offset = offsets.get(state.key);
            if (offset !== undefined && this.partitions.get(state.key) === state)
              this.reposition(state, offset);
          }
          this.schedule();
        })
        .catch((resetError: unknown) => this.fetchFailed(resetError, reset));
      return;
    }
    this.fetchFailures += 1;
    const failure = explainKafkaConnectionError(error, this.target) as Error;
    if (this.fetchFailures >= FETCH_FAILURES_BEFORE_CRASH) {
      this.logger?.error(
        { err: failure, component: 'platformatic-kafka' },
        'fetching keeps failing: giving up',
      );
      this.running = false;
      for (const listener of this.crashListeners) listener(failure);
      return;
    }
    this.logger?.warn({ err: failure, component: 'platformatic-kafka' }, 'fetch failed; retrying');
    // Positions whose start could not be read are read again.
    const unready = states.filter((s) => !s.ready && this.partitions.get(s.key) === s);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      if (unready.length > 0)
        this.startingPositions(unready).catch((e: unknown) => this.fetchFailed(e, unready));
      else this.schedule();
    }, 1_000 * this.fetchFailures);
    this.retryTimers.add(timer);
  }

  /** Hands waiting batches to the handler, up to `partitionsConsumedConcurrently` partitions at a time. */
  private dispatch(): void {
    const options = this.runOptions;
    if (!options || !this.running) return;
    const limit = Math.max(1, options.partitionsConsumedConcurrently);
    const candidates = [...this.partitions.values()];
    for (let i = 0; i < candidates.length && this.handlers.size < limit; i += 1) {
      // Round robin, so that a busy partition does not always go first.
      const state = candidates[(this.nextHandlerIndex + i) % candidates.length];
      if (!state || state.busy || !state.waiting || this.paused.has(state.key)) continue;
      const batch = state.waiting;
      state.waiting = undefined;
      if (batch.epoch !== state.epoch) continue;
      if (batch.messages.length === 0) {
        // Only transaction markers: nothing to hand out, the position moves past them.
        state.position = batch.nextOffset;
        continue;
      }
      this.nextHandlerIndex = (this.nextHandlerIndex + i + 1) % Math.max(1, candidates.length);
      const handler = this.handle(state, batch, options).finally(() => {
        this.handlers.delete(handler);
        this.schedule();
      });
      this.handlers.add(handler);
    }
  }

  private async handle(
    state: PartitionState,
    fetched: FetchedBatch,
    options: ConsumerRunOptions,
  ): Promise<void> {
    state.busy = true;
    const epoch = state.epoch;
    let resolved: bigint | undefined;
    const stale = () => state.epoch !== epoch || this.partitions.get(state.key) !== state;
    const control: BatchControl = {
      resolveOffset: (offset) => {
        const value = BigInt(offset);
        if (!stale() && (resolved === undefined || value > resolved)) resolved = value;
      },
      // The library sends heartbeats on a timer of its own, whatever the handler does.
      heartbeat: async () => undefined,
      isRunning: () => this.running,
      isStale: stale,
    };
    const batch: IncomingBatch = {
      topic: state.topic,
      partition: state.partition,
      messages: fetched.messages,
      highWatermark: String(fetched.highWatermark),
      nextOffset: String(fetched.nextOffset),
    };
    let failed = false;
    try {
      await options.eachBatch(batch, control);
    } catch (error) {
      failed = true;
      this.logger?.warn(
        { err: error, component: 'platformatic-kafka', topic: state.topic, partition: state.partition },
        'batch handler failed: its unresolved messages are delivered again in a second',
      );
    } finally {
      state.busy = false;
    }
    if (stale()) return;
    const last = fetched.messages[fetched.messages.length - 1];
    if (last && resolved !== undefined && resolved >= BigInt(last.offset)) {
      state.position = fetched.nextOffset;
      return;
    }
    // Not everything was resolved: the next batch starts after the last resolved message.
    this.reposition(state, resolved === undefined ? fetched.start : resolved + 1n);
    if (failed) {
      this.pause([state]);
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.resume([state]);
      }, 1_000);
      this.retryTimers.add(timer);
    }
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

function groupPartitions(states: readonly PartitionState[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of states) out.set(s.topic, [...(out.get(s.topic) ?? []), s.partition]);
  return out;
}

/**
 * The messages of a fetched partition from `from` on, and the offset after the last record batch
 * (transaction markers included); undefined when the broker returned nothing.
 */
function fetchedBatch(
  topic: string,
  partition: number,
  recordBatches: readonly RecordsBatch[],
  from: bigint,
  epoch: number,
  highWatermark: bigint,
): FetchedBatch | undefined {
  const lastBatch = recordBatches[recordBatches.length - 1];
  if (!lastBatch) return undefined;
  const messages: IncomingMessage[] = [];
  for (const recordBatch of recordBatches) {
    if (recordBatch.attributes & IS_CONTROL) continue;
    for (const record of recordBatch.records) {
      const offset = recordBatch.firstOffset + BigInt(record.offsetDelta);
      // A record batch is returned whole: records before the fetch offset were delivered already.
      if (offset < from) continue;
      messages.push(incomingMessage(topic, partition, offset, recordBatch.firstTimestamp, record));
    }
  }
  const nextOffset = lastBatch.firstOffset + BigInt(lastBatch.lastOffsetDelta) + 1n;
  if (nextOffset <= from) return undefined;
  return { epoch, start: from, messages, highWatermark, nextOffset };
}

function incomingMessage(
  topic: string,
  partition: number,
  offset: bigint,
  firstTimestamp: bigint,
  record: KafkaRecord,
): IncomingMessage {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of record.headers)
    if (name !== null) headers[name.toString()] = value ?? Buffer.alloc(0);
  return {
    topic,
    partition,
    offset: String(offset),
    key: record.key,
    value: record.value,
    headers,
    timestamp: Number(firstTimestamp + record.timestampDelta),
  };
}

/** The partitions a failed fetch reports as OFFSET_OUT_OF_RANGE (the error carries the response). */
function outOfRangePartitions(
  error: unknown,
  topicIds: ReadonlyMap<string, string> | undefined,
): TopicPartition[] {
  const response = (error as { response?: Partial<FetchResponse> } | undefined)?.response;
  if (!topicIds || !response?.responses) return [];
  return response.responses.flatMap((t) =>
    t.partitions
      .filter((p) => p.errorCode === OFFSET_OUT_OF_RANGE)
      .map((p) => ({ topic: topicIds.get(t.topicId) ?? t.topicId, partition: p.partitionIndex })),
  );
}

// --- Administration ------------------------------------------------------------------------------

class PlatformaticAdmin implements DriverAdmin {
  private readonly admin: Admin;

  constructor(
    private readonly target: KafkaConnectionTarget,
    base: BaseClientOptions,
  ) {
    this.admin = new Admin(base);
  }

  async connect(): Promise<void> {
    await explained(this.target, () => this.admin.metadata({ topics: [] }));
  }

  async disconnect(): Promise<void> {
    await this.admin.close();
  }

  async describeCluster(): Promise<{ clusterId: string; brokers: number }> {
    const metadata = await this.admin.metadata({ topics: [], forceUpdate: true });
    return { clusterId: metadata.id, brokers: metadata.brokers.size };
  }

  listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
    const existing = new Set(await this.admin.listTopics());
    const wanted = names.filter((n) => existing.has(n));
    if (wanted.length === 0) return [];
    const metadata = await this.admin.metadata({ topics: wanted, forceUpdate: true });
    return wanted.flatMap((name) => {
      const topic = metadata.topics.get(name);
      return topic
        ? [
            {
              name,
              partitions: topic.partitionsCount,
              replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
            },
          ]
        : [];
    });
  }

  async describeTopicConfigs(names: readonly string[]): Promise<Record<string, Record<string, string>>> {
    if (names.length === 0) return {};
    const described = await this.admin.describeConfigs({
      includeSynonyms: false,
      resources: names.map((name) => ({ resourceType: ConfigResourceTypes.TOPIC, resourceName: name })),
    });
    return Object.fromEntries(
      described.map((resource) => [
        resource.resourceName,
        Object.fromEntries(
          resource.configs.filter((c) => c.value !== null).map((c) => [c.name, String(c.value)]),
        ),
      ]),
    );
  }

  async createTopics(specs: readonly TopicSpec[]): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    // One request per topic: partitions, replicas and configs are per request in this client.
    for (const spec of missing) {
      try {
        await this.admin.createTopics({
          topics: [spec.name],
          partitions: spec.partitions,
          replicas: spec.replicationFactor,
          configs: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
        });
      } catch (error) {
        // Created meanwhile — by someone else, or by an attempt of ours whose answer timed out and
        // whose retry was then refused: fine, creating is idempotent.
        const exists = /TOPIC_ALREADY_EXISTS|already exists/i.test(errorText(error));
        if (!exists && !(await this.admin.listTopics()).includes(spec.name)) throw error;
      }
    }
    if (missing.length > 0) await this.waitForLeaders(missing.map((s) => s.name));
  }

  /** Resolves once every partition of the topics has a leader (the topics can be used). */
  private async waitForLeaders(topics: readonly string[], timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const metadata = await this.admin.metadata({ topics: [...topics], forceUpdate: true });
        if (
          topics.every((name) => {
            const topic = metadata.topics.get(name);
            return (
              topic !== undefined && topic.partitionsCount > 0 && topic.partitions.every((p) => p.leader >= 0)
            );
          })
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
    const [low, high] = await Promise.all([
      this.listOffsets(topic, ListOffsetTimestamps.EARLIEST),
      this.listOffsets(topic, ListOffsetTimestamps.LATEST),
    ]);
    return [...high.entries()]
      .map(([partition, end]) => ({ partition, low: String(low.get(partition) ?? 0n), high: String(end) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async fetchTopicOffsetsByTimestamp(
    topic: string,
    timestamp: number,
  ): Promise<{ partition: number; offset: string }[]> {
    const [byTime, ends] = await Promise.all([
      this.listOffsets(topic, BigInt(timestamp)),
      this.listOffsets(topic, ListOffsetTimestamps.LATEST),
    ]);
    return [...ends.entries()]
      .map(([partition, end]) => {
        const found = byTime.get(partition);
        return { partition, offset: String(found === undefined || found < 0n ? end : found) };
      })
      .sort((a, b) => a.partition - b.partition);
  }

  /** Per partition of the topic, the offset for a timestamp (or EARLIEST/LATEST): -1 where none. */
  private async listOffsets(topic: string, timestamp: bigint): Promise<Map<number, bigint>> {
    const metadata = await this.admin.metadata({ topics: [topic] });
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const listed = await this.admin.listOffsets({
      topics: [
        {
          name: topic,
          partitions: Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp })),
        },
      ],
    });
    return new Map(listed.flatMap((t) => t.partitions.map((p) => [p.partitionIndex, p.offset] as const)));
  }

  async fetchGroupOffsets(groupId: string, topics: readonly string[]): Promise<TopicPartitionOffset[]> {
    if (topics.length === 0) return [];
    const metadata = await this.admin.metadata({ topics: [...topics] });
    const [group] = await this.admin.listConsumerGroupOffsets({
      groups: [
        {
          groupId,
          topics: topics.map((name) => ({
            name,
            partitionIndexes: Array.from(
              { length: metadata.topics.get(name)?.partitionsCount ?? 0 },
              (_, i) => i,
            ),
          })),
        },
      ],
    });
    return (group?.topics ?? []).flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.name,
        partition: p.partitionIndex,
        offset: String(p.committedOffset),
      })),
    );
  }

  async setGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const byTopic = new Map<string, { partition: number; offset: bigint }[]>();
    for (const o of offsets)
      byTopic.set(o.topic, [
        ...(byTopic.get(o.topic) ?? []),
        { partition: o.partition, offset: BigInt(o.offset) },
      ]);
    await this.admin.alterConsumerGroupOffsets({
      groupId,
      topics: [...byTopic].map(([name, partitionOffsets]) => ({ name, partitionOffsets })),
    });
  }

  async describeGroup(groupId: string): Promise<ConsumerGroupState> {
    const groups = await this.admin.describeGroups({ groups: [groupId] });
    const group = groups.get(groupId);
    return { state: groupState(group?.state), members: group?.members.size ?? 0 };
  }
}

/** Kafka's group state names (the client reports newer brokers' upper-case names as they come). */
function groupState(state: string | undefined): string {
  if (!state) return 'Unknown';
  const legacy: Record<string, string> = {
    PREPARING_REBALANCE: 'PreparingRebalance',
    COMPLETING_REBALANCE: 'CompletingRebalance',
    STABLE: 'Stable',
    DEAD: 'Dead',
    EMPTY: 'Empty',
  };
  return legacy[state] ?? state;
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const nested = (error as { errors?: unknown[] }).errors ?? [];
  return [error.message, ...nested.map((e) => errorText(e)), error.cause ? errorText(error.cause) : ''].join(
    ' ',
  );
}
