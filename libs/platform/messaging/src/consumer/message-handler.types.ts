import type { TopicDefinition } from '@pardot-x3/canonical';
import type { EntityManager } from '@pardot-x3/persistence';
import type { EventMetadata } from '../events/event-headers.js';
import type { MessageOrigin } from './dead-letter-envelope.js';

/** How a message reached the consumer group. */
export type DeliveryKind = 'topic' | 'replay' | 'retry' | 'redrive';

/** Everything a handler knows about the event it handles, and what it may do besides its effect. */
export interface MessageContext {
  /** Event id, correlation and causation ids, source, type and time (CloudEvents headers). */
  readonly metadata: EventMetadata;
  /** The message key (the entity's business identity). */
  readonly key: string | null;
  /** The catalog topic the event was published to. */
  readonly topic: string;
  /** Where this copy was read: the topic itself, its replay topic, a retry level or the redrive topic. */
  readonly delivery: {
    readonly kind: DeliveryKind;
    /** Physical topic of this copy. */
    readonly topic: string;
    readonly partition: number;
    readonly offset: string;
  };
  /** Attempt number of this invocation, from 1 (in-place retries and retry topics count up). */
  readonly attempt: number;
  /** Set when the message is part of a replay (`<topic>.replay`): the replay run's id. */
  readonly replayId?: string;
  /** Catalog topic a request asks to be answered on (px3-reply-to), when the event is a request. */
  readonly replyTo?: string;
  /** All headers as text. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The message as read, byte for byte: a handler whose effect completes later (a queued write) keeps
   * it, so a write that fails for good can be parked on the group's dead-letter topic and re-driven.
   */
  readonly raw: {
    readonly key: Buffer | null;
    readonly value: Buffer | null;
    readonly headers: Readonly<Record<string, Buffer>>;
    /** Where the event was first read (a retry copy's origin, not the retry topic). */
    readonly origin: MessageOrigin;
  };
  /**
   * The transaction in which the runner records this event in the inbox: write the effect through it
   * and it is applied exactly once. Only for runners with a data source (otherwise throws).
   */
  readonly entityManager: EntityManager;
  /** Aborted when the consumer stops: long handlers may give up and let the message be re-delivered. */
  readonly signal: AbortSignal;
  /**
   * Queues an event to send after the handler returns and before the effect commits. Its event id is
   * derived from this event's, so processing this event again produces the same ids (and downstream
   * consumers skip them); causation and correlation ids are set.
   */
  emit<V>(
    topic: TopicDefinition<V>,
    value: V,
    options?: { readonly occurredAt?: Date; readonly headers?: Readonly<Record<string, string>> },
  ): void;
  /** Queues a tombstone (a null value) for `key` on a compacted topic, sent like {@link emit}. */
  emitTombstone(topic: TopicDefinition<unknown>, key: string): void;
  /**
   * Queues the reply to a request, like {@link emit}: on `topic`, which must be the catalog topic the
   * request names in px3-reply-to (when it names one). The requester matches it by causation id.
   */
  reply<V>(topic: TopicDefinition<V>, value: V): void;
}

export type EventHandler<V> = (event: V, context: MessageContext) => Promise<void>;

/** One event of a batch, with its own context (metadata, emit, reply). */
export interface BatchItem<V> {
  readonly event: V;
  readonly context: MessageContext;
}

/** What the events of a batch share: one transaction. */
export interface BatchContext {
  /** The one transaction of the whole batch (consumers with a data source). */
  readonly entityManager: EntityManager;
  readonly signal: AbortSignal;
}

/**
 * Handles several events of one partition at once (in offset order), in one transaction: much higher
 * throughput for effects that can be written together (one multi-row upsert, one bulk API call).
 */
export type BatchHandler<V> = (items: readonly BatchItem<V>[], context: BatchContext) => Promise<void>;

/** A handler for the events of one catalog topic. */
export interface HandlerRegistration<V = unknown> {
  readonly topic: TopicDefinition<V>;
  readonly handle: EventHandler<V>;
  /** Called for tombstones (null values on compacted topics); without it tombstones are skipped. */
  readonly onTombstone?: (key: string, context: MessageContext) => Promise<void>;
  /** Set by {@link onEventBatch}: the events of a batch are handed over together. */
  readonly handleBatch?: BatchHandler<V>;
  /** Events per batch (default 100). */
  readonly maxBatchSize?: number;
}

/** Declares the handler of a topic, with the event type checked against the topic. */
export function onEvent<V>(
  topic: TopicDefinition<V>,
  handle: EventHandler<V>,
  options: { readonly onTombstone?: (key: string, context: MessageContext) => Promise<void> } = {},
): HandlerRegistration {
  return { topic, handle, onTombstone: options.onTombstone } as HandlerRegistration;
}

/**
 * Declares a batch handler for a topic: up to `maxBatchSize` events of one partition in one call and one
 * transaction; each event is still recorded in the inbox (duplicates are left out of the batch). When a
 * batch fails, its events are handled one by one (as batches of one), so a poison event is retried and
 * dead-lettered alone while the others are applied.
 */
export function onEventBatch<V>(
  topic: TopicDefinition<V>,
  handleBatch: BatchHandler<V>,
  options: {
    readonly maxBatchSize?: number;
    readonly onTombstone?: (key: string, context: MessageContext) => Promise<void>;
  } = {},
): HandlerRegistration {
  const registration: HandlerRegistration<V> = {
    topic,
    handleBatch,
    maxBatchSize: options.maxBatchSize ?? 100,
    onTombstone: options.onTombstone,
    handle: (event, context) =>
      handleBatch([{ event, context }], {
        get entityManager() {
          return context.entityManager;
        },
        signal: context.signal,
      }),
  };
  return registration as HandlerRegistration;
}
