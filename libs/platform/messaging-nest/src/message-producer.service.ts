import { Inject, Injectable } from '@nestjs/common';
import type { TopicDefinition } from '@pardot-x3/canonical';
import type { Messaging, OutgoingEvent, SendOptions, SentEvent } from '@pardot-x3/messaging';
import { MESSAGING } from './messaging-nest.constants.js';

/**
 * Sends events from anywhere in a NestJS service (webhook controllers, pollers). Inside an event
 * handler prefer `context.emit`, which derives ids from the event being handled.
 */
@Injectable()
export class MessageProducer {
  constructor(@Inject(MESSAGING) private readonly messaging: Messaging) {}

  send<V>(topic: TopicDefinition<V>, value: V, options?: SendOptions): Promise<SentEvent> {
    return this.messaging.producer.send(topic, value, options);
  }

  sendAll(events: readonly OutgoingEvent[]): Promise<SentEvent[]> {
    return this.messaging.producer.sendAll(events);
  }

  tombstone(topic: TopicDefinition<unknown>, key: string): Promise<SentEvent> {
    return this.messaging.producer.tombstone(topic, key);
  }
}
