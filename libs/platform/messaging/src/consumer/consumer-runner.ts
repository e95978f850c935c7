import { setTimeout as sleep } from 'node:timers/promises';
import {
  classifyTopic,
  deadLetterTopicName,
  DeadLetterSchema,
  redriveTopicName,
  replayTopicName,
  retryTopicName,
  type ConsumerGroupDefinition,
  type DeadLetterReason,
  type TopicDefinition,
} from '@pardot-x3/canonical';
import type { Logger } from '@pardot-x3/observability';
import { ProcessedEventInbox, type DataSource, type EntityManager } from '@pardot-x3/persistence';
import type {
  BatchControl,
  DriverConsumer,
  IncomingBatch,
  IncomingMessage,
  KafkaDriver,
} from '../driver/kafka-driver.types.js';
import type { TopicMetadataCache } from '../driver/topic-metadata.cache.js';
import { BackPressureError } from '../errors/back-pressure.error.js';
import { InvalidMessageError } from '../errors/invalid-message.error.js';
import { NonRetriableError } from '../errors/non-retriable.error.js';
import { SchemaRegistryUnavailableError } from '../errors/schema-registry-unavailable.error.js';
import {
  EVENT_HEADERS,
  headerNumber,
  headerText,
  readEventMetadata,
  TRANSPORT_HEADERS,
  withoutTransportHeaders,
  type EventMetadata,
} from '../events/event-headers.js';
import { deriveEventId, newEventId } from '../events/event-id.js';
import type { ConsumeOutcome, MessagingMetrics } from '../metrics/messaging-metrics.js';
import type { TopicNamespace } from '../naming/topic-namespace.js';
import { outgoingEvent, type EventProducer, type OutgoingEvent } from '../producer/event-producer.js';
import type { AvroSerde } from '../serde/avro-serde.js';
import {
  deadLetterEnvelope,
  errorClassOf,
  errorMessageOf,
  type MessageOrigin,
} from './dead-letter-envelope.js';
import { handleByKey, type MessageOutcome } from './key-ordered-batch.js';
import type { DeliveryKind, HandlerRegistration, MessageContext } from './message-handler.types.js';

export interface ConsumerRunnerOptions {
  /** The consumer group (from the catalog): its topics and retry delays. */
  readonly group: ConsumerGroupDefinition;
  /** One handler per topic of the group. */
  readonly handlers: readonly HandlerRegistration[];
  /**
   * With a data source, each event's effect and its inbox record share one transaction
   * (`context.entityManager`): effects apply exactly once. Without, delivery is at least once.
   */
  readonly dataSource?: DataSource;
  /** Partitions handled at the same time (default 3). */
  readonly partitionConcurrency?: number;
  /** Keys of one partition handled at the same time (default 1: strictly in offset order). */
  readonly keyConcurrency?: number;
  /** Pauses between attempts made in place before a message goes to a retry topic (default [200, 1000] ms: 3 attempts). */
  readonly inPlaceRetryDelaysMs?: readonly number[];
  /** Where a group without committed offsets starts (default earliest: nothing published before is missed). */
  readonly startFrom?: 'earliest' | 'latest';
  /** Also read every topic's `.replay` topic (default true). */
  readonly readReplays?: boolean;
  readonly sessionTimeoutMs?: number;
  /** How long a fetch waits for new data (default 500 ms). */
  readonly maxWaitTimeMs?: number;
}

export interface ConsumerRunnerDependencies {
  readonly driver: KafkaDriver;
  readonly serde: AvroSerde;
  readonly producer: EventProducer;
  readonly topics: TopicMetadataCache;
  readonly namespace: TopicNamespace;
  readonly logger: Logger;
  readonly metrics: MessagingMetrics;
}

export type ConsumerRunnerState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed';

/** Pause after a schema registry outage before the partition is read again. */
const REGISTRY_OUTAGE_PAUSE_MS = 5_000;

interface Delivery {
  readonly kind: DeliveryKind;
  readonly origin: MessageOrigin;
  readonly handler: HandlerRegistration;
  readonly attempt: number;
  /** Retry level of this copy (0 for the topic, its replay and the redrive topic). */
  readonly level: number;
  readonly replayId?: string;
  readonly firstFailedAt?: number;
}

/**
 * Runs one consumer group: reads its topics (and their replay topics, its retry and redrive topics),
 * decodes each message into its topic's type, and calls the topic's handler.
 *
 * - Order: one partition's messages in offset order; different partitions (and, if allowed, keys) in parallel.
 * - Nothing lost: a partition's offset is committed only up to the last message whose effect is done
 *   (durable, or diverted to a retry or dead-letter topic, which is itself acknowledged first).
 * - Nothing applied twice: with a data source, the effect and the event's inbox row share one
 *   transaction; a re-delivered event finds its row and is skipped.
 * - Failures: a few attempts in place, then `<group>.retry.<n>` (each level waits its delay), then
 *   `<group>.dlq` with the error; invalid messages and non-retriable errors go to the DLQ at once.
 * - Back-pressure: a handler throwing {@link BackPressureError} pauses the partition and gets the same
 *   message again later, without using up an attempt.
 */
export class ConsumerRunner {
  private readonly inbox = new ProcessedEventInbox();
  private readonly handlers = new Map<string, HandlerRegistration>();
  private readonly physicalGroup: string;
  private readonly abort = new AbortController();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private consumer?: DriverConsumer;
  private currentState: ConsumerRunnerState = 'created';
  private crash?: Error;

  constructor(
    private readonly options: ConsumerRunnerOptions,
    private readonly deps: ConsumerRunnerDependencies,
  ) {
    const { group } = options;
    for (const registration of options.handlers) {
      if (!group.topics.includes(registration.topic.name)) {
        throw new Error(
          `Consumer group ${group.name} has a handler for ${registration.topic.name}, which the group does not read (catalog)`,
        );
      }
      if (this.handlers.has(registration.topic.name))
        throw new Error(`Two handlers for ${registration.topic.name} in ${group.name}`);
      this.handlers.set(registration.topic.name, registration);
    }
    const unhandled = group.topics.filter((t) => !this.handlers.has(t));
    if (unhandled.length > 0)
      throw new Error(`Consumer group ${group.name} reads ${unhandled.join(', ')} but has no handler for it`);
    this.physicalGroup = deps.namespace.group(group.name);
  }

  get groupId(): string {
    return this.physicalGroup;
  }

  get state(): ConsumerRunnerState {
    return this.currentState;
  }

  /** Physical topics the group reads. */
  subscriptions(): string[] {
    const { group } = this.options;
    const { namespace } = this.deps;
    const topics = group.topics.flatMap((t) =>
      this.options.readReplays === false ? [t] : [t, replayTopicName(t)],
    );
    topics.push(
      ...group.retryDelaysMs.map((_, i) => retryTopicName(group.name, i + 1)),
      redriveTopicName(group.name),
    );
    return topics.map((t) => namespace.topic(t));
  }

  /** Joins the group and starts handling messages; resolves once the consumer runs. */
  async start(): Promise<void> {
    if (this.currentState !== 'created')
      throw new Error(`consumer ${this.physicalGroup} was already started`);
    this.currentState = 'starting';
    const subscriptions = this.subscriptions();
    const missing = await this.missingTopics(subscriptions);
    if (missing.length > 0) {
      this.currentState = 'crashed';
      throw new Error(
        `Consumer group ${this.physicalGroup} cannot start: topic(s) ${missing.join(', ')} do not exist. ` +
          'Create the catalog topics first (`./pardot-x3 topics create`); the group and its topics must be in schemas/catalog.yaml.',
      );
    }
    const consumer = this.deps.driver.createConsumer({
      groupId: this.physicalGroup,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      maxWaitTimeMs: this.options.maxWaitTimeMs,
    });
    this.consumer = consumer;
    consumer.onCrash((error) => {
      this.crash = error;
      this.currentState = 'crashed';
      this.deps.logger.error({ err: error }, 'consumer crashed and will not restart');
    });
    await consumer.connect();
    await consumer.subscribe(subscriptions, (this.options.startFrom ?? 'earliest') === 'earliest');
    await consumer.run({
      partitionsConsumedConcurrently: this.options.partitionConcurrency ?? 3,
      eachBatch: (batch, control) => this.handleBatch(batch, control),
    });
    this.currentState = 'running';
    this.deps.logger.info({ topics: subscriptions }, 'consumer started');
  }

  /** Finishes the message in hand, commits what is done, and leaves the group. */
  async stop(): Promise<void> {
    if (this.currentState === 'stopped' || this.currentState === 'created') {
      this.currentState = 'stopped';
      return;
    }
    this.currentState = 'stopping';
    this.abort.abort();
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    await this.consumer?.disconnect();
    this.currentState = 'stopped';
    this.deps.logger.info('consumer stopped');
  }

  /** For readiness: running, or why not. */
  health(): { readonly healthy: boolean; readonly state: ConsumerRunnerState; readonly detail?: string } {
    const healthy = this.currentState === 'running';
    return {
      healthy,
      state: this.currentState,
      detail: this.crash ? this.crash.message : healthy ? undefined : `consumer ${this.currentState}`,
    };
  }

  private async missingTopics(topics: readonly string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const topic of topics) {
      try {
        await this.deps.topics.partitionCount(topic);
      } catch {
        missing.push(topic);
      }
    }
    return missing;
  }

  private async handleBatch(batch: IncomingBatch, control: BatchControl): Promise<void> {
    const consumer = this.consumer;
    if (!consumer || batch.messages.length === 0) return;
    const role = classifyTopic(this.deps.namespace.logical(batch.topic) ?? batch.topic);
    const sequential = role.role === 'retry' || role.role === 'redrive';
    const keyConcurrency = sequential ? 1 : (this.options.keyConcurrency ?? 1);
    const shouldContinue = () => control.isRunning() && !control.isStale() && !this.abort.signal.aborted;

    const registration =
      role.role === 'event' || role.role === 'replay' ? this.handlers.get(role.topic) : undefined;
    const { done, pauseMs } = registration?.handleBatch
      ? await this.handleInBatches(batch.messages, role, registration, control, shouldContinue)
      : await handleByKey(
          batch.messages,
          keyConcurrency,
          async (message): Promise<MessageOutcome> => {
            const outcome = await this.handleMessage(message, role);
            await control.heartbeat();
            return outcome;
          },
          shouldContinue,
        );

    const firstUndone = done.indexOf(false);
    const last = batch.messages[batch.messages.length - 1];
    if (firstUndone === -1 && last) {
      control.resolveOffset(last.offset);
      await this.commit(consumer, batch.topic, batch.partition, batch.nextOffset);
    } else if (firstUndone >= 0) {
      const resumeAt = batch.messages[firstUndone];
      if (!resumeAt) return;
      const previous = batch.messages[firstUndone - 1];
      if (previous) control.resolveOffset(previous.offset);
      await this.commit(consumer, batch.topic, batch.partition, resumeAt.offset);
      if (shouldContinue()) {
        // Read again from the first message not done, once the pause is over.
        consumer.seek({ topic: batch.topic, partition: batch.partition, offset: resumeAt.offset });
        if (pauseMs !== undefined && pauseMs > 0)
          this.pauseFor(consumer, batch.topic, batch.partition, pauseMs);
      }
    }
    const handledUpTo =
      firstUndone === -1 ? batch.nextOffset : (batch.messages[firstUndone]?.offset ?? batch.nextOffset);
    const lag = BigInt(batch.highWatermark) - BigInt(handledUpTo);
    this.deps.metrics.consumerLag.set(
      {
        topic: this.deps.namespace.logical(batch.topic) ?? batch.topic,
        group: this.options.group.name,
        partition: String(batch.partition),
      },
      Number(lag > 0n ? lag : 0n),
    );
  }

  /**
   * A batch handler's path: chunks of up to `maxBatchSize` messages in offset order, each chunk in one
   * call and one transaction; a chunk that fails is handled again message by message (single-event
   * path with its retries and dead letters), so one poison event does not hold back the others.
   */
  private async handleInBatches(
    messages: readonly IncomingMessage[],
    role: ReturnType<typeof classifyTopic>,
    registration: HandlerRegistration,
    control: BatchControl,
    shouldContinue: () => boolean,
  ): Promise<{ done: boolean[]; pauseMs?: number }> {
    const done = messages.map(() => false);
    const size = Math.max(1, registration.maxBatchSize ?? 100);
    for (let start = 0; start < messages.length; start += size) {
      if (!shouldContinue()) break;
      const chunk = messages.slice(start, start + size);
      const outcome = await this.applyBatch(chunk, role, registration);
      if (outcome.kind === 'stop') return { done, pauseMs: outcome.pauseMs };
      if (outcome.kind === 'split') {
        for (const [i, message] of chunk.entries()) {
          if (!shouldContinue()) return { done };
          const single = await this.handleMessage(message, role);
          if (single.kind === 'stop') return { done, pauseMs: single.pauseMs };
          done[start + i] = true;
        }
      } else {
        chunk.forEach((_, i) => (done[start + i] = true));
      }
      await control.heartbeat();
    }
    return { done };
  }

  private async applyBatch(
    chunk: readonly IncomingMessage[],
    role: ReturnType<typeof classifyTopic>,
    registration: HandlerRegistration,
  ): Promise<MessageOutcome | { readonly kind: 'split' }> {
    interface Prepared {
      readonly message: IncomingMessage;
      readonly delivery: Delivery;
      readonly metadata: EventMetadata;
      readonly event: unknown;
      readonly outbox: OutgoingEvent[];
      readonly tombstones: { topic: TopicDefinition<unknown>; key: string }[];
    }
    const handleBatch = registration.handleBatch;
    if (!handleBatch) return { kind: 'split' };
    const label = { topic: registration.topic.name, group: this.options.group.name };
    const prepared: Prepared[] = [];
    for (const message of chunk) {
      const delivery = this.delivery(message, role);
      if ('invalid' in delivery) {
        await this.deadLetter(
          message,
          this.ownOrigin(message),
          undefined,
          'INVALID_MESSAGE',
          new InvalidMessageError(delivery.invalid),
          1,
          Date.now(),
        );
        continue;
      }
      const { origin } = delivery;
      const metadata = readEventMetadata(
        message.headers,
        deriveEventId(`kafka:${origin.topic}/${origin.partition}@${origin.offset}`, 'event-id'),
        origin.timestamp,
      );
      if (message.value === null) {
        // Tombstones go through the single-event path (their own callback).
        if (registration.onTombstone) return { kind: 'split' };
        this.deps.metrics.consumed.inc({ ...label, outcome: 'processed' });
        continue;
      }
      try {
        const event = await this.deps.serde.deserialize(message.value, registration.topic.value);
        prepared.push({ message, delivery, metadata, event, outbox: [], tombstones: [] });
      } catch (error) {
        if (!(error instanceof InvalidMessageError))
          return {
            kind: 'stop',
            pauseMs: error instanceof SchemaRegistryUnavailableError ? REGISTRY_OUTAGE_PAUSE_MS : 1_000,
          };
        await this.deadLetter(message, origin, metadata.eventId, 'INVALID_MESSAGE', error, 1, Date.now());
      }
    }
    if (prepared.length === 0) return { kind: 'done' };
    const started = performance.now();
    const run = async (manager: EntityManager | undefined): Promise<number> => {
      let fresh: Prepared[] = prepared;
      if (manager) {
        const recorded = await this.inbox.recordAllIfNew(
          manager,
          prepared.map((p) => ({
            consumerGroup: this.physicalGroup,
            eventId: p.metadata.eventId,
            replayId: p.delivery.replayId,
            topic: p.delivery.origin.topic,
            partition: p.delivery.origin.partition,
            offset: p.delivery.origin.offset,
          })),
        );
        fresh = prepared.filter((_, i) => recorded.has(i));
      }
      if (fresh.length === 0) return 0;
      const group = this.options.group.name;
      await handleBatch(
        fresh.map((p) => ({
          event: p.event,
          context: this.context(
            p.message,
            p.delivery,
            p.metadata,
            p.delivery.attempt,
            manager,
            p.outbox,
            p.tombstones,
          ),
        })),
        {
          get entityManager(): EntityManager {
            if (!manager)
              throw new Error(
                `Consumer group ${group} has no data source: pass one to the runner to use context.entityManager`,
              );
            return manager;
          },
          signal: this.abort.signal,
        },
      );
      const outgoing = fresh.flatMap((p) => this.derivedEvents(p.metadata, p.delivery.replayId, p.outbox));
      if (outgoing.length > 0) await this.deps.producer.sendAll(outgoing);
      for (const p of fresh) await this.flush(p.metadata, p.delivery.replayId, [], p.tombstones);
      return fresh.length;
    };
    try {
      const dataSource = this.options.dataSource;
      const applied = dataSource
        ? await dataSource.transaction((manager) => run(manager))
        : await run(undefined);
      const seconds = (performance.now() - started) / 1_000 / Math.max(1, applied);
      for (let i = 0; i < applied; i += 1) this.deps.metrics.handlingSeconds.observe(label, seconds);
      if (applied > 0) this.deps.metrics.consumed.inc({ ...label, outcome: 'processed' }, applied);
      if (prepared.length > applied)
        this.deps.metrics.consumed.inc({ ...label, outcome: 'duplicate' }, prepared.length - applied);
      return { kind: 'done' };
    } catch (error) {
      if (error instanceof BackPressureError) return { kind: 'stop', pauseMs: error.retryAfterMs };
      if (this.abort.signal.aborted) return { kind: 'stop', pauseMs: 0 };
      this.deps.logger.warn(
        { err: error, topic: registration.topic.name, events: prepared.length },
        'batch failed; handling its events one by one',
      );
      return { kind: 'split' };
    }
  }

  private async commit(
    consumer: DriverConsumer,
    topic: string,
    partition: number,
    offset: string,
  ): Promise<void> {
    try {
      await consumer.commitOffsets([{ topic, partition, offset }]);
    } catch (error) {
      // A rebalance took the partition away: the new owner starts at the last commit and the inbox skips what was done.
      this.deps.logger.warn(
        { err: error, topic, partition, offset },
        'offset commit failed; messages will be delivered again',
      );
    }
  }

  private pauseFor(consumer: DriverConsumer, topic: string, partition: number, pauseMs: number): void {
    consumer.pause([{ topic, partition }]);
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      if (!this.abort.signal.aborted) consumer.resume([{ topic, partition }]);
    }, pauseMs);
    this.resumeTimers.add(timer);
  }

  /** Works out what a message is (which topic, which attempt, which handler) and handles it. */
  private async handleMessage(
    message: IncomingMessage,
    role: ReturnType<typeof classifyTopic>,
  ): Promise<MessageOutcome> {
    const delivery = this.delivery(message, role);
    if ('invalid' in delivery) {
      await this.deadLetter(
        message,
        this.ownOrigin(message),
        undefined,
        'INVALID_MESSAGE',
        new InvalidMessageError(delivery.invalid),
        1,
        Date.now(),
      );
      return { kind: 'done' };
    }
    if (delivery.kind === 'retry') {
      const retryAt = headerNumber(message.headers, TRANSPORT_HEADERS.retryAt) ?? 0;
      const wait = retryAt - Date.now();
      if (wait > 0) return { kind: 'stop', pauseMs: wait };
    }
    return this.process(message, delivery);
  }

  private ownOrigin(message: IncomingMessage): MessageOrigin {
    return {
      topic: this.deps.namespace.logical(message.topic) ?? message.topic,
      partition: message.partition,
      offset: message.offset,
      timestamp: message.timestamp,
    };
  }

  private delivery(
    message: IncomingMessage,
    role: ReturnType<typeof classifyTopic>,
  ): Delivery | { readonly invalid: string } {
    const { headers } = message;
    const headerOrigin = (): MessageOrigin | undefined => {
      const topic = headerText(headers, TRANSPORT_HEADERS.originTopic);
      const partition = headerNumber(headers, TRANSPORT_HEADERS.originPartition);
      const offset = headerText(headers, TRANSPORT_HEADERS.originOffset);
      if (topic === undefined || partition === undefined || offset === undefined) return undefined;
      return {
        topic,
        partition,
        offset,
        timestamp: headerNumber(headers, TRANSPORT_HEADERS.originTimestamp) ?? message.timestamp,
      };
    };
    const firstFailedAt = headerNumber(headers, TRANSPORT_HEADERS.firstFailedAt);
    const replayId = headerText(headers, TRANSPORT_HEADERS.replayId);
    switch (role.role) {
      case 'event': {
        const handler = this.handlers.get(role.topic);
        if (!handler) return { invalid: `no handler for ${role.topic} in ${this.options.group.name}` };
        return { kind: 'topic', origin: this.ownOrigin(message), handler, attempt: 1, level: 0 };
      }
      case 'replay': {
        const handler = this.handlers.get(role.topic);
        if (!handler) return { invalid: `no handler for ${role.topic} in ${this.options.group.name}` };
        const origin = headerOrigin() ?? { ...this.ownOrigin(message), topic: role.topic };
        return {
          kind: 'replay',
          origin,
          handler,
          attempt: 1,
          level: 0,
          replayId: replayId ?? `unlabelled:${message.partition}:${message.offset}`,
        };
      }
      case 'retry':
      case 'redrive': {
        const origin = headerOrigin();
        if (!origin)
          return {
            invalid: `a ${role.role} copy without its origin headers (${TRANSPORT_HEADERS.originTopic}, ...)`,
          };
        const handler = this.handlers.get(origin.topic);
        if (!handler) return { invalid: `no handler for ${origin.topic} in ${this.options.group.name}` };
        return {
          kind: role.role,
          origin,
          handler,
          attempt: Math.max(1, headerNumber(headers, TRANSPORT_HEADERS.attempt) ?? 1),
          level: role.role === 'retry' ? role.level : 0,
          replayId,
          firstFailedAt,
        };
      }
      default:
        return { invalid: `topic ${message.topic} is not one the group reads` };
    }
  }

  private async process(message: IncomingMessage, delivery: Delivery): Promise<MessageOutcome> {
    const { origin, handler } = delivery;
    const topicLabel = { topic: origin.topic, group: this.options.group.name };
    const fallbackId = deriveEventId(
      `kafka:${origin.topic}/${origin.partition}@${origin.offset}`,
      'event-id',
    );
    const metadata = readEventMetadata(message.headers, fallbackId, origin.timestamp);

    let event: unknown = null;
    if (message.value !== null) {
      try {
        event = await this.deps.serde.deserialize(message.value, handler.topic.value);
      } catch (error) {
        if (error instanceof InvalidMessageError) {
          await this.deadLetter(
            message,
            origin,
            metadata.eventId,
            'INVALID_MESSAGE',
            error,
            delivery.attempt,
            delivery.firstFailedAt ?? Date.now(),
          );
          return { kind: 'done' };
        }
        this.deps.logger.warn(
          { err: error, topic: origin.topic },
          'cannot decode now; pausing the partition',
        );
        return {
          kind: 'stop',
          pauseMs: error instanceof SchemaRegistryUnavailableError ? REGISTRY_OUTAGE_PAUSE_MS : 1_000,
        };
      }
    } else if (!handler.onTombstone) {
      this.deps.metrics.consumed.inc({ ...topicLabel, outcome: 'processed' });
      return { kind: 'done' };
    }

    const delays = this.options.inPlaceRetryDelaysMs ?? [200, 1_000];
    const firstFailedAt = delivery.firstFailedAt;
    for (let tries = 0; ; tries += 1) {
      const attempt = delivery.attempt + tries;
      const started = performance.now();
      try {
        const outcome = await this.applyOnce(message, delivery, metadata, event, attempt);
        this.deps.metrics.consumed.inc({ ...topicLabel, outcome });
        if (outcome === 'processed')
          this.deps.metrics.handlingSeconds.observe(topicLabel, (performance.now() - started) / 1_000);
        return { kind: 'done' };
      } catch (error) {
        const failedAt = firstFailedAt ?? Date.now();
        if (error instanceof BackPressureError) {
          this.deps.logger.info(
            { topic: origin.topic, retryAfterMs: error.retryAfterMs },
            `back-pressure: ${error.message}`,
          );
          return { kind: 'stop', pauseMs: error.retryAfterMs };
        }
        if (this.abort.signal.aborted) return { kind: 'stop', pauseMs: 0 };
        const reason = failureReason(error);
        if (reason) {
          await this.deadLetter(message, origin, metadata.eventId, reason, error, attempt, failedAt);
          return { kind: 'done' };
        }
        const delay = delays[tries];
        if (delay !== undefined) {
          this.deps.logger.warn(
            {
              err: error,
              topic: origin.topic,
              eventId: metadata.eventId,
              attempt,
            },
            'handler failed; trying again',
          );
          try {
            await sleep(delay, undefined, { signal: this.abort.signal });
          } catch {
            return { kind: 'stop', pauseMs: 0 };
          }
          continue;
        }
        const nextLevel = delivery.level + 1;
        if (nextLevel <= this.options.group.retryDelaysMs.length) {
          await this.retryLater(message, delivery, nextLevel, error, attempt, failedAt);
          this.deps.metrics.consumed.inc({ ...topicLabel, outcome: 'retried' });
        } else {
          await this.deadLetter(
            message,
            origin,
            metadata.eventId,
            'RETRIES_EXHAUSTED',
            error,
            attempt,
            failedAt,
          );
        }
        return { kind: 'done' };
      }
    }
  }

  /** One attempt: the inbox check, the handler, the queued events; all or nothing. */
  private async applyOnce(
    message: IncomingMessage,
    delivery: Delivery,
    metadata: EventMetadata,
    event: unknown,
    attempt: number,
  ): Promise<Extract<ConsumeOutcome, 'processed' | 'duplicate'>> {
    const outbox: OutgoingEvent[] = [];
    const tombstones: { topic: TopicDefinition<unknown>; key: string }[] = [];
    const run = async (manager: EntityManager | undefined): Promise<void> => {
      const context = this.context(message, delivery, metadata, attempt, manager, outbox, tombstones);
      if (event === null && message.value === null)
        await delivery.handler.onTombstone?.(context.key ?? '', context);
      else await delivery.handler.handle(event, context);
      await this.flush(metadata, delivery.replayId, outbox, tombstones);
    };
    const dataSource = this.options.dataSource;
    if (!dataSource) {
      await run(undefined);
      return 'processed';
    }
    return dataSource.transaction(async (manager) => {
      const fresh = await this.inbox.recordIfNew(manager, {
        consumerGroup: this.physicalGroup,
        eventId: metadata.eventId,
        replayId: delivery.replayId,
        topic: delivery.origin.topic,
        partition: delivery.origin.partition,
        offset: delivery.origin.offset,
      });
      if (!fresh) return 'duplicate';
      await run(manager);
      return 'processed';
    });
  }

  /** The events a handler queued, with ids derived from the event (and the replay) and its lineage. */
  private derivedEvents(
    cause: EventMetadata,
    replayId: string | undefined,
    outbox: readonly OutgoingEvent[],
  ): OutgoingEvent[] {
    const causeId = replayId ? `${cause.eventId}@replay:${replayId}` : cause.eventId;
    return outbox.map((e, i) =>
      outgoingEvent(e.topic, e.value, {
        ...e.options,
        causedBy: cause,
        eventId: deriveEventId(causeId, `${e.topic.name}#${i}`),
      }),
    );
  }

  /** Sends what the handler queued: before the effect commits. */
  private async flush(
    cause: EventMetadata,
    replayId: string | undefined,
    outbox: readonly OutgoingEvent[],
    tombstones: readonly { topic: TopicDefinition<unknown>; key: string }[],
  ): Promise<void> {
    const events = this.derivedEvents(cause, replayId, outbox);
    if (events.length > 0) await this.deps.producer.sendAll(events);
    const causeId = replayId ? `${cause.eventId}@replay:${replayId}` : cause.eventId;
    for (const [i, t] of tombstones.entries()) {
      await this.deps.producer.tombstone(t.topic, t.key, {
        causedBy: cause,
        eventId: deriveEventId(causeId, `${t.topic.name}#tombstone#${i}`),
      });
    }
  }

  private context(
    message: IncomingMessage,
    delivery: Delivery,
    metadata: EventMetadata,
    attempt: number,
    manager: EntityManager | undefined,
    outbox: OutgoingEvent[],
    tombstones: { topic: TopicDefinition<unknown>; key: string }[],
  ): MessageContext {
    const group = this.options.group.name;
    const replyTo = headerText(message.headers, TRANSPORT_HEADERS.replyTo);
    return {
      metadata,
      key: message.key?.toString('utf8') ?? null,
      topic: delivery.origin.topic,
      delivery: {
        kind: delivery.kind,
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
      },
      attempt,
      replayId: delivery.replayId,
      replyTo,
      headers: Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, v.toString('utf8')])),
      get entityManager(): EntityManager {
        if (!manager)
          throw new Error(
            `Consumer group ${group} has no data source: pass one to the runner to use context.entityManager`,
          );
        return manager;
      },
      signal: this.abort.signal,
      emit: (topic, value, options) => {
        outbox.push(outgoingEvent(topic, value, options));
      },
      emitTombstone: (topic, key) => {
        tombstones.push({ topic, key });
      },
      reply: (topic, value) => {
        if (replyTo !== undefined && replyTo !== topic.name) {
          throw new NonRetriableError(
            `The request asks for a reply on ${replyTo}, but the handler replies on ${topic.name}`,
          );
        }
        outbox.push(outgoingEvent(topic, value));
      },
    };
  }

  private async retryLater(
    message: IncomingMessage,
    delivery: Delivery,
    level: number,
    error: unknown,
    attempts: number,
    firstFailedAt: number,
  ): Promise<void> {
    const { group } = this.options;
    const delayMs = group.retryDelaysMs[level - 1] ?? 0;
    const { origin } = delivery;
    const headers: Record<string, string | Buffer> = {
      ...withoutTransportHeaders(message.headers),
      [TRANSPORT_HEADERS.attempt]: String(attempts + 1),
      [TRANSPORT_HEADERS.originTopic]: origin.topic,
      [TRANSPORT_HEADERS.originPartition]: String(origin.partition),
      [TRANSPORT_HEADERS.originOffset]: origin.offset,
      [TRANSPORT_HEADERS.originTimestamp]: String(origin.timestamp),
      [TRANSPORT_HEADERS.retryAt]: String(Date.now() + delayMs),
      [TRANSPORT_HEADERS.firstFailedAt]: String(firstFailedAt),
      [TRANSPORT_HEADERS.lastErrorClass]: errorClassOf(error),
      [TRANSPORT_HEADERS.lastErrorMessage]: errorMessageOf(error).slice(0, 500),
    };
    if (delivery.replayId) headers[TRANSPORT_HEADERS.replayId] = delivery.replayId;
    await this.deps.producer.sendEncoded([
      {
        topic: this.deps.namespace.topic(retryTopicName(group.name, level)),
        key: message.key,
        value: message.value,
        headers,
      },
    ]);
    this.deps.logger.warn(
      {
        err: error,
        topic: origin.topic,
        eventId: headerText(message.headers, EVENT_HEADERS.id),
        attempts,
        retryLevel: level,
        delayMs,
      },
      `handler failed ${attempts} time(s); retrying in ${delayMs < 1_000 ? `${delayMs} ms` : `${Math.round(delayMs / 1_000)} s`}`,
    );
  }

  private async deadLetter(
    message: IncomingMessage,
    origin: MessageOrigin,
    eventId: string | undefined,
    reason: DeadLetterReason,
    error: unknown,
    attempts: number,
    firstFailedAt: number,
  ): Promise<void> {
    const group = this.options.group.name;
    const { value, headers } = deadLetterEnvelope({
      group,
      message,
      origin,
      eventId,
      reason,
      error,
      attempts,
      firstFailedAt,
    });
    const topic = deadLetterTopicName(group);
    const bytes = await this.deps.serde.serialize(
      this.deps.namespace.subject(topic),
      DeadLetterSchema,
      value,
    );
    await this.deps.producer.sendEncoded([
      {
        topic: this.deps.namespace.topic(topic),
        key: message.key,
        value: bytes,
        headers: { ...headers, [EVENT_HEADERS.id]: newEventId() },
      },
    ]);
    this.deps.metrics.deadLetters.inc({ topic: origin.topic, group, error_class: value.errorClass });
    this.deps.metrics.consumed.inc({
      topic: origin.topic,
      group,
      outcome: reason === 'INVALID_MESSAGE' ? 'invalid' : 'dead_lettered',
    });
    this.deps.logger.error(
      {
        topic: origin.topic,
        partition: origin.partition,
        offset: origin.offset,
        eventId,
        reason,
        errorClass: value.errorClass,
        attempts,
      },
      `message dead-lettered to ${topic}: ${value.errorMessage}`,
    );
  }
}

/** Dead-letter at once (never retried) for invalid messages and declared non-retriable errors. */
function failureReason(error: unknown): DeadLetterReason | undefined {
  if (error instanceof InvalidMessageError) return 'INVALID_MESSAGE';
  if (error instanceof NonRetriableError) return 'NON_RETRIABLE_ERROR';
  if (typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === false)
    return 'NON_RETRIABLE_ERROR';
  if (error instanceof Error && error.name === 'ValidationError') return 'INVALID_MESSAGE';
  return undefined;
}
