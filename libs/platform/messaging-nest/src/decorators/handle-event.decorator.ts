import { SetMetadata } from '@nestjs/common';
import type { TopicDefinition } from '@pardot-x3/canonical';
import type { BatchContext, BatchItem, MessageContext } from '@pardot-x3/messaging';
import { EVENT_HANDLER_METADATA } from '../messaging-nest.constants.js';

/** What @HandleEvent and @HandleTombstone record on a method. */
export interface EventHandlerMetadata {
  readonly topic: TopicDefinition<unknown>;
  readonly kind: 'event' | 'batch' | 'tombstone';
  /** For batches: events per call (default 100). */
  readonly maxBatchSize?: number;
}

type EventMethod<V> = (event: V, context: MessageContext) => Promise<void>;
type BatchMethod<V> = (items: readonly BatchItem<V>[], context: BatchContext) => Promise<void>;
type TombstoneMethod = (key: string, context: MessageContext) => Promise<void>;

/**
 * The method handling the events of a topic, in a class marked with @EventConsumer. Its parameter is
 * checked against the topic's type: `(event: CustomerObservation, context: MessageContext) => Promise<void>`.
 */
export function HandleEvent<V>(topic: TopicDefinition<V>) {
  return <M extends EventMethod<V>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    SetMetadata<string, EventHandlerMetadata>(EVENT_HANDLER_METADATA, {
      topic: topic as TopicDefinition<unknown>,
      kind: 'event',
    })(target, key, descriptor);
  };
}

/**
 * The method handling the events of a topic in batches (one call and one transaction per batch of one
 * partition; a failing batch is retried event by event): `(items: readonly BatchItem<V>[], context: BatchContext)`.
 */
export function HandleEventBatch<V>(
  topic: TopicDefinition<V>,
  options: { readonly maxBatchSize?: number } = {},
) {
  return <M extends BatchMethod<V>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    SetMetadata<string, EventHandlerMetadata>(EVENT_HANDLER_METADATA, {
      topic: topic as TopicDefinition<unknown>,
      kind: 'batch',
      maxBatchSize: options.maxBatchSize,
    })(target, key, descriptor);
  };
}

/** The method handling tombstones (deleted keys) of a compacted topic; without one they are skipped. */
export function HandleTombstone(topic: TopicDefinition<unknown>) {
  return <M extends TombstoneMethod>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    SetMetadata<string, EventHandlerMetadata>(EVENT_HANDLER_METADATA, { topic, kind: 'tombstone' })(
      target,
      key,
      descriptor,
    );
  };
}
