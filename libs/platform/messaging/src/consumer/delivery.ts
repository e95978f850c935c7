import { classifyTopic } from '@pardot-x3/canonical';
import type { IncomingMessage } from '../driver/kafka-driver.types.js';
import { headerNumber, headerText, TRANSPORT_HEADERS } from '../events/event-headers.js';
import type { TopicNamespace } from '../naming/topic-namespace.js';
import type { MessageOrigin } from './dead-letter-envelope.js';
import type { DeliveryKind, HandlerRegistration } from './message-handler.types.js';

/** What a topic is to the group: one of its event topics, a replay, a retry level or its redrive topic. */
export type TopicRole = ReturnType<typeof classifyTopic>;

/** One message as the group must handle it: which event, which handler, which attempt. */
export interface Delivery {
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
 * Works out what a message is — from its topic's role and, for retry and redrive copies, from the
 * origin headers they carry — or why the group cannot handle it (an invalid delivery is dead-lettered).
 */
export class DeliveryRouter {
  constructor(
    private readonly group: string,
    private readonly handlers: ReadonlyMap<string, HandlerRegistration>,
    private readonly namespace: TopicNamespace,
  ) {}

  roleOf(physicalTopic: string): TopicRole {
    return classifyTopic(this.namespace.logical(physicalTopic) ?? physicalTopic);
  }

  /** Where the message was read, in catalog terms. */
  ownOrigin(message: IncomingMessage): MessageOrigin {
    return {
      topic: this.namespace.logical(message.topic) ?? message.topic,
      partition: message.partition,
      offset: message.offset,
      timestamp: message.timestamp,
    };
  }

  resolve(message: IncomingMessage, role: TopicRole): Delivery | { readonly invalid: string } {
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
        if (!handler) return { invalid: `no handler for ${role.topic} in ${this.group}` };
        return { kind: 'topic', origin: this.ownOrigin(message), handler, attempt: 1, level: 0 };
      }
      case 'replay': {
        const handler = this.handlers.get(role.topic);
        if (!handler) return { invalid: `no handler for ${role.topic} in ${this.group}` };
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
        if (!handler) return { invalid: `no handler for ${origin.topic} in ${this.group}` };
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
}
