import { setTimeout as sleep } from 'node:timers/promises';
import {
  redriveTopicName,
  replayTopicName,
  retryTopicName,
  type ConsumerGroupDefinition,
} from '@pardot-x3/canonical';
import { classifyFailure } from '@pardot-x3/failure-policy';
import type { Logger } from '@pardot-x3/observability';
import type { DataSource } from '@pardot-x3/persistence';
import type {
  BatchControl,
  DriverConsumer,
  IncomingBatch,
  IncomingMessage,
  KafkaDriver,
} from '../driver/kafka-driver.types.js';
import { TopicNotFoundError, type TopicMetadataCache } from '../driver/topic-metadata.cache.js';
import { InvalidMessageError } from '../errors/invalid-message.error.js';
import { SchemaRegistryUnavailableError } from '../errors/schema-registry-unavailable.error.js';
import { headerNumber, readEventMetadata, TRANSPORT_HEADERS } from '../events/event-headers.js';
import { deriveEventId } from '../events/event-id.js';
import type { MessagingMetrics } from '../metrics/messaging-metrics.js';
import type { TopicNamespace } from '../naming/topic-namespace.js';
import type { EventProducer } from '../producer/event-producer.js';
import type { AvroSerde } from '../serde/avro-serde.js';
import { DeliveryRouter, type Delivery, type TopicRole } from './delivery.js';
import { EventApplier, type PreparedEvent } from './event-applier.js';
import { decideOnFailure } from './failure-decision.js';
import { FailureRouter } from './failure-router.js';
import { handleByKey, type MessageOutcome } from './key-ordered-batch.js';
import type { HandlerRegistration } from './message-handler.types.js';
import { PoisonPillGuard } from './poison-pill-guard.js';

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
  /** Pauses between attempts made in place before a message goes to a retry topic (default [200, 1000, 5000] ms: 4 attempts). */
  readonly inPlaceRetryDelaysMs?: readonly number[];
  /** How long one message may be held back by throttling (limits, busy systems) before it takes the retry path (default 24 h). */
  readonly throttleDeadlineMs?: number;
  /** Where a group without committed offsets starts (default earliest: nothing published before is missed). */
  readonly startFrom?: 'earliest' | 'latest';
  /** Also read every topic's `.replay` topic (default true). */
  readonly readReplays?: boolean;
  readonly sessionTimeoutMs?: number;
  /** How long a fetch waits for new data (default 500 ms). */
  readonly maxWaitTimeMs?: number;
  /**
   * Directory of this process instance's in-flight markers (PX3_STATE_DIR): with it, a message the
   * process exited on three times in a row is dead-lettered instead of crash-looping the service.
   */
  readonly stateDir?: string;
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
/** Pause when a failed message could not be parked (the broker is unreachable): read it again then. */
const PARKING_FAILED_PAUSE_MS = 2_000;
const DEFAULT_IN_PLACE_DELAYS_MS = [200, 1_000, 5_000];
const DEFAULT_THROTTLE_DEADLINE_MS = 24 * 60 * 60_000;

/** Raised for a message the process exited on repeatedly: dead-lettered instead of handled again. */
export class PoisonPillError extends Error {
  readonly failureKind = 'permanent-data';

  constructor(exits: number) {
    super(
      `the process exited ${exits} times in a row while handling this message; it is parked instead of handled again (inspect it, fix, re-drive)`,
    );
    this.name = 'PoisonPillError';
  }
}

/**
 * Runs one consumer group: reads its topics (and their replay topics, its retry and redrive topics),
 * decodes each message into its topic's type, and calls the topic's handler. The parts:
 * - this class: lifecycle, reading, commits and pauses;
 * - {@link DeliveryRouter}: what a message is (topic, replay, retry copy, redrive) and its handler;
 * - {@link EventApplier}: the exactly-once core (inbox row, handler, emitted events; one or a batch);
 * - {@link decideOnFailure} and {@link FailureRouter}: what a failure means and where the message goes;
 * - {@link PoisonPillGuard}: no crash loop on a message that makes the process exit.
 *
 * Guarantees:
 * - Order: one partition's messages in offset order; different partitions (and, if allowed, keys) in parallel.
 * - Nothing lost: a partition's offset is committed only up to the last message whose effect is done
 *   (durable, or diverted to a retry or dead-letter topic, which is itself acknowledged first).
 * - Nothing applied twice: with a data source, the effect and the event's inbox row share one
 *   transaction; a re-delivered event finds its row and is skipped.
 * - Failures (classified once, by `@pardot-x3/failure-policy`): permanent → the dead-letter topic at
 *   once; throttled → the partition pauses and the same message comes again, no attempt used;
 *   transient → a few attempts in place, then `<group>.retry.<n>`, then the dead-letter topic.
 *   Whatever a handler throws — an Error, a rejection, a string — goes through this policy.
 */
export class ConsumerRunner {
  private readonly handlers = new Map<string, HandlerRegistration>();
  private readonly physicalGroup: string;
  private readonly abort = new AbortController();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private readonly router: DeliveryRouter;
  private readonly applier: EventApplier;
  private readonly failures: FailureRouter;
  /** When each throttled message (by origin position) was first held back. */
  private readonly throttledSince = new Map<string, number>();
  private poisonGuard?: PoisonPillGuard;
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
    this.router = new DeliveryRouter(group.name, this.handlers, deps.namespace);
    this.applier = new EventApplier({
      physicalGroup: this.physicalGroup,
      group: group.name,
      dataSource: options.dataSource,
      producer: deps.producer,
      signal: this.abort.signal,
    });
    this.failures = new FailureRouter(group, deps);
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
    if (this.options.stateDir)
      this.poisonGuard = new PoisonPillGuard(
        `${this.options.stateDir}/${this.physicalGroup}`,
        this.deps.logger,
      );
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
    this.poisonGuard?.clear();
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

  /** Topics the cluster lacks; any other failure (the broker unreachable, credentials refused) is thrown as it is. */
  private async missingTopics(topics: readonly string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const topic of topics) {
      try {
        await this.deps.topics.partitionCount(topic);
      } catch (error) {
        if (!(error instanceof TopicNotFoundError)) {
          this.currentState = 'crashed';
          throw error;
        }
        missing.push(topic);
      }
    }
    return missing;
  }

  private async handleBatch(batch: IncomingBatch, control: BatchControl): Promise<void> {
    const consumer = this.consumer;
    const first = batch.messages[0];
    const last = batch.messages[batch.messages.length - 1];
    if (!consumer || !first || !last) return;
    const role = this.router.roleOf(batch.topic);
    const sequential = role.role === 'retry' || role.role === 'redrive';
    const keyConcurrency = sequential ? 1 : (this.options.keyConcurrency ?? 1);
    const shouldContinue = () => control.isRunning() && !control.isStale() && !this.abort.signal.aborted;
    const guard = this.poisonGuard;
    // After a process exit in these offsets: one message at a time, each marked, until they are done.
    const suspect = guard?.isSuspect(batch.topic, batch.partition, first.offset, last.offset) ?? false;
    if (!suspect) guard?.mark(batch.topic, batch.partition, first.offset, last.offset);

    const registration =
      role.role === 'event' || role.role === 'replay' ? this.handlers.get(role.topic) : undefined;
    const { done, pauseMs } =
      registration?.handleBatch && !suspect
        ? await this.handleInBatches(batch.messages, role, registration, control, shouldContinue)
        : await handleByKey(
            batch.messages,
            suspect ? 1 : keyConcurrency,
            async (message): Promise<MessageOutcome> => {
              if (suspect) guard?.mark(message.topic, message.partition, message.offset, message.offset);
              const outcome = await this.handleMessage(message, role);
              await control.heartbeat();
              return outcome;
            },
            shouldContinue,
          );

    const firstUndone = done.indexOf(false);
    if (firstUndone === -1) {
      control.resolveOffset(last.offset);
      if (await this.commit(consumer, batch.topic, batch.partition, batch.nextOffset))
        guard?.done(batch.topic, batch.partition, batch.nextOffset);
    } else {
      const resumeAt = batch.messages[firstUndone];
      if (!resumeAt) return;
      const previous = batch.messages[firstUndone - 1];
      if (previous) control.resolveOffset(previous.offset);
      if (await this.commit(consumer, batch.topic, batch.partition, resumeAt.offset))
        guard?.done(batch.topic, batch.partition, resumeAt.offset);
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
   * call and one transaction. A chunk that fails is halved and each half applied in turn (first half
   * first: offset order, so each key's order, holds), down to single messages, which take the
   * single-event path with its failure policy: one poison event is retried and dead-lettered alone,
   * and the rest of its chunk is still applied in batches (about 2·log2(n) batch calls instead of n).
   */
  private async handleInBatches(
    messages: readonly IncomingMessage[],
    role: TopicRole,
    registration: HandlerRegistration,
    control: BatchControl,
    shouldContinue: () => boolean,
  ): Promise<{ done: boolean[]; pauseMs?: number }> {
    const done = messages.map(() => false);
    const size = Math.max(1, registration.maxBatchSize ?? 100);
    const apply = async (start: number, end: number, first: boolean): Promise<MessageOutcome> => {
      if (!shouldContinue()) return { kind: 'stop', pauseMs: 0 };
      const chunk = messages.slice(start, end);
      const [only] = chunk;
      const outcome =
        chunk.length === 1 && only && !first
          ? await this.handleMessage(only, role)
          : await this.applyChunk(chunk, role, registration, first);
      if (outcome.kind === 'stop') return outcome;
      if (outcome.kind === 'done') {
        for (let i = start; i < end; i += 1) done[i] = true;
        return outcome;
      }
      if (chunk.length === 1 && only) {
        const single = await this.handleMessage(only, role);
        if (single.kind === 'done') done[start] = true;
        return single;
      }
      const middle = start + Math.ceil((end - start) / 2);
      const left = await apply(start, middle, false);
      if (left.kind === 'stop') return left;
      return apply(middle, end, false);
    };
    for (let start = 0; start < messages.length; start += size) {
      if (!shouldContinue()) break;
      const outcome = await apply(start, Math.min(messages.length, start + size), true);
      if (outcome.kind === 'stop') return { done, pauseMs: outcome.pauseMs };
      await control.heartbeat();
    }
    return { done };
  }

  /** Decodes a chunk and applies it through the batch handler; anything unusual goes the single path. */
  private async applyChunk(
    chunk: readonly IncomingMessage[],
    role: TopicRole,
    registration: HandlerRegistration,
    logFailure: boolean,
  ): Promise<MessageOutcome | { readonly kind: 'split' }> {
    const label = { topic: registration.topic.name, group: this.options.group.name };
    const prepared: PreparedEvent[] = [];
    for (const message of chunk) {
      const delivery = this.router.resolve(message, role);
      if ('invalid' in delivery) return { kind: 'split' };
      if (message.value === null) {
        // Tombstones go through the single-event path (their own callback).
        if (registration.onTombstone) return { kind: 'split' };
        this.deps.metrics.consumed.inc({ ...label, outcome: 'processed' });
        continue;
      }
      const { origin } = delivery;
      const metadata = readEventMetadata(
        message.headers,
        deriveEventId(`kafka:${origin.topic}/${origin.partition}@${origin.offset}`, 'event-id'),
        origin.timestamp,
      );
      try {
        const event = await this.deps.serde.deserialize(message.value, registration.topic.value);
        prepared.push({ message, delivery, metadata, event });
      } catch (error) {
        if (error instanceof InvalidMessageError) return { kind: 'split' };
        return {
          kind: 'stop',
          pauseMs: error instanceof SchemaRegistryUnavailableError ? REGISTRY_OUTAGE_PAUSE_MS : 1_000,
        };
      }
    }
    if (prepared.length === 0) return { kind: 'done' };
    const started = performance.now();
    try {
      const applied = await this.applier.applyBatch(prepared, registration);
      const seconds = (performance.now() - started) / 1_000 / Math.max(1, applied);
      for (let i = 0; i < applied; i += 1) this.deps.metrics.handlingSeconds.observe(label, seconds);
      if (applied > 0) this.deps.metrics.consumed.inc({ ...label, outcome: 'processed' }, applied);
      if (prepared.length > applied)
        this.deps.metrics.consumed.inc({ ...label, outcome: 'duplicate' }, prepared.length - applied);
      return { kind: 'done' };
    } catch (error) {
      if (this.abort.signal.aborted) return { kind: 'stop', pauseMs: 0 };
      const verdict = classifyFailure(error);
      if (verdict.kind === 'throttled')
        return { kind: 'stop', pauseMs: Math.max(500, Math.min(60_000, verdict.retryAfterMs ?? 500)) };
      const log = {
        err: error,
        topic: registration.topic.name,
        events: prepared.length,
        failure: verdict.rule,
      };
      if (logFailure) this.deps.logger.warn(log, 'batch failed; applying it in halves down to single events');
      else this.deps.logger.debug(log, 'part of a failed batch failed; halving it');
      return { kind: 'split' };
    }
  }

  private async commit(
    consumer: DriverConsumer,
    topic: string,
    partition: number,
    offset: string,
  ): Promise<boolean> {
    try {
      await consumer.commitOffsets([{ topic, partition, offset }]);
      return true;
    } catch (error) {
      // A rebalance took the partition away: the new owner starts at the last commit and the inbox skips what was done.
      this.deps.logger.warn(
        { err: error, topic, partition, offset },
        'offset commit failed; messages will be delivered again',
      );
      return false;
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
  private async handleMessage(message: IncomingMessage, role: TopicRole): Promise<MessageOutcome> {
    try {
      const delivery = this.router.resolve(message, role);
      if ('invalid' in delivery) {
        return await this.park(message, this.router.ownOrigin(message), undefined, {
          reason: 'INVALID_MESSAGE',
          error: new InvalidMessageError(delivery.invalid),
          attempts: 1,
          firstFailedAt: Date.now(),
        });
      }
      const exits = this.poisonGuard?.poisonExits(message.topic, message.partition, message.offset);
      if (exits !== undefined) {
        const { origin } = delivery;
        const fallbackId = deriveEventId(
          `kafka:${origin.topic}/${origin.partition}@${origin.offset}`,
          'event-id',
        );
        const { eventId } = readEventMetadata(message.headers, fallbackId, origin.timestamp);
        return await this.park(message, origin, eventId, {
          reason: 'NON_RETRIABLE_ERROR',
          error: new PoisonPillError(exits),
          attempts: delivery.attempt,
          firstFailedAt: delivery.firstFailedAt ?? Date.now(),
          rule: 'poison pill: the process exited while handling it',
        });
      }
      if (delivery.kind === 'retry') {
        const retryAt = headerNumber(message.headers, TRANSPORT_HEADERS.retryAt) ?? 0;
        const wait = retryAt - Date.now();
        if (wait > 0) return { kind: 'stop', pauseMs: wait };
      }
      return await this.process(message, delivery);
    } catch (error) {
      // Only parking itself can get here (the broker or the registry is unreachable): read it again later.
      if (this.abort.signal.aborted) return { kind: 'stop', pauseMs: 0 };
      this.deps.logger.warn(
        { err: error, topic: message.topic, partition: message.partition, offset: message.offset },
        'could not park a failed message; the partition pauses and reads it again',
      );
      return { kind: 'stop', pauseMs: PARKING_FAILED_PAUSE_MS };
    }
  }

  private async park(
    message: IncomingMessage,
    origin: Delivery['origin'],
    eventId: string | undefined,
    failure: {
      readonly reason: 'INVALID_MESSAGE' | 'NON_RETRIABLE_ERROR' | 'RETRIES_EXHAUSTED';
      readonly error: unknown;
      readonly attempts: number;
      readonly firstFailedAt: number;
      readonly rule?: string;
    },
  ): Promise<MessageOutcome> {
    await this.failures.deadLetter({ message, origin, eventId, ...failure });
    return { kind: 'done' };
  }

  private async process(message: IncomingMessage, delivery: Delivery): Promise<MessageOutcome> {
    const { origin, handler } = delivery;
    const topicLabel = { topic: origin.topic, group: this.options.group.name };
    const position = `${origin.topic}/${origin.partition}@${origin.offset}`;
    const fallbackId = deriveEventId(`kafka:${position}`, 'event-id');
    const metadata = readEventMetadata(message.headers, fallbackId, origin.timestamp);

    let event: unknown = null;
    if (message.value !== null) {
      try {
        event = await this.deps.serde.deserialize(message.value, handler.topic.value);
      } catch (error) {
        if (error instanceof InvalidMessageError) {
          return this.park(message, origin, metadata.eventId, {
            reason: 'INVALID_MESSAGE',
            error,
            attempts: delivery.attempt,
            firstFailedAt: delivery.firstFailedAt ?? Date.now(),
          });
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

    const delays = this.options.inPlaceRetryDelaysMs ?? DEFAULT_IN_PLACE_DELAYS_MS;
    for (let tries = 0; ; tries += 1) {
      const attempt = delivery.attempt + tries;
      const started = performance.now();
      try {
        const outcome = await this.applier.applyOne(message, delivery, metadata, event, attempt);
        this.throttledSince.delete(position);
        this.deps.metrics.consumed.inc({ ...topicLabel, outcome });
        if (outcome === 'processed')
          this.deps.metrics.handlingSeconds.observe(topicLabel, (performance.now() - started) / 1_000);
        return { kind: 'done' };
      } catch (error) {
        if (this.abort.signal.aborted) return { kind: 'stop', pauseMs: 0 };
        const verdict = classifyFailure(error);
        const failedAt = delivery.firstFailedAt ?? Date.now();
        const throttledSince = this.throttledSince.get(position);
        const decision = decideOnFailure({
          verdict,
          invalidInput: error instanceof InvalidMessageError || verdict.rule.includes('input is invalid'),
          triesInPlace: tries,
          inPlaceDelaysMs: delays,
          level: delivery.level,
          retryLevels: this.options.group.retryDelaysMs.length,
          throttledForMs: throttledSince === undefined ? 0 : Date.now() - throttledSince,
          throttleDeadlineMs: this.options.throttleDeadlineMs ?? DEFAULT_THROTTLE_DEADLINE_MS,
        });
        switch (decision.action) {
          case 'pause':
            if (throttledSince === undefined) this.throttledSince.set(position, Date.now());
            this.deps.logger.info(
              {
                topic: origin.topic,
                eventId: metadata.eventId,
                pauseMs: decision.pauseMs,
                failure: verdict.rule,
              },
              `throttled: ${errorText(error)}; the partition waits and tries the same message again`,
            );
            return { kind: 'stop', pauseMs: decision.pauseMs };
          case 'retry-in-place':
            this.deps.logger.warn(
              { err: error, topic: origin.topic, eventId: metadata.eventId, attempt, failure: verdict.rule },
              'handler failed; trying again',
            );
            this.poisonGuard?.waiting(message.topic, message.partition);
            try {
              await sleep(decision.delayMs, undefined, { signal: this.abort.signal });
            } catch {
              return { kind: 'stop', pauseMs: 0 };
            }
            this.poisonGuard?.working(message.topic, message.partition);
            continue;
          case 'retry-later':
            await this.failures.retryLater(message, delivery, decision.level, error, attempt, failedAt);
            this.throttledSince.delete(position);
            return { kind: 'done' };
          case 'dead-letter':
            this.throttledSince.delete(position);
            return this.park(message, origin, metadata.eventId, {
              reason: decision.reason,
              error,
              attempts: attempt,
              firstFailedAt: failedAt,
              rule: verdict.rule,
            });
        }
      }
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
