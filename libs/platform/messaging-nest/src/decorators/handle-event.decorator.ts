import { SetMetadata } from '@nestjs/common';
import type { TopicDefinition } from '@pardot-x3/canonical';
import type { MessageContext } from '@pardot-x3/messaging';
import { EVENT_HANDLER_METADATA } from '../messaging-nest.constants.js';

/** What @HandleEvent and @HandleTombstone record on a method. */
export interface EventHandlerMetadata {
  readonly topic: TopicDefinition<unknown>;
  readonly kind: 'event' | 'tombstone';
}

type EventMethod<V> = (event: V, context: MessageContext) => Promise<void>;
type TombstoneMethod = (key: string, context: MessageContext) => Promise<void>;

/**
 * The method handling the events of a topic, in a class marked with @EventConsumer. Its parameter is
 * checked against the topic's type: `(event: CustomerObservation, context: MessageContext) => Promise<void>`.
 */
export function HandleEvent<V>(topic: TopicDefinition<V>) {
  return <K extends string | symbol>(
    target: object,
    key: K,
    descriptor: TypedPropertyDescriptor<EventMethod<V>>,
  ): void => {
    SetMetadata<string, EventHandlerMetadata>(EVENT_HANDLER_METADATA, {
      topic: topic as TopicDefinition<unknown>,
      kind: 'event',
    })(target, key, descriptor);
  };
}

/** The method handling tombstones (deleted keys) of a compacted topic; without one they are skipped. */
export function HandleTombstone(topic: TopicDefinition<unknown>) {
  return <K extends string | symbol>(
    target: object,
    key: K,
    descriptor: TypedPropertyDescriptor<TombstoneMethod>,
  ): void => {
    SetMetadata<string, EventHandlerMetadata>(EVENT_HANDLER_METADATA, { topic, kind: 'tombstone' })(
      target,
      key,
      descriptor,
    );
  };
}
