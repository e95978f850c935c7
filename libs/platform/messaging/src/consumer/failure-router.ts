import {
  deadLetterTopicName,
  DeadLetterSchema,
  retryTopicName,
  type ConsumerGroupDefinition,
} from '@pardot-x3/canonical';
import type { Logger } from '@pardot-x3/observability';
import type { IncomingMessage } from '../driver/kafka-driver.types.js';
import {
  EVENT_HEADERS,
  headerText,
  TRANSPORT_HEADERS,
  withoutTransportHeaders,
} from '../events/event-headers.js';
import { newEventId } from '../events/event-id.js';
import type { MessagingMetrics } from '../metrics/messaging-metrics.js';
import type { TopicNamespace } from '../naming/topic-namespace.js';
import type { EventProducer } from '../producer/event-producer.js';
import type { AvroSerde } from '../serde/avro-serde.js';
import {
  deadLetterEnvelope,
  errorClassOf,
  errorMessageOf,
  type DeadLetterInput,
} from './dead-letter-envelope.js';
import type { Delivery } from './delivery.js';

export interface FailureRouterDependencies {
  readonly serde: AvroSerde;
  readonly producer: EventProducer;
  readonly namespace: TopicNamespace;
  readonly logger: Logger;
  readonly metrics: MessagingMetrics;
}

/** A message the group gave up on, as the dead-letter topic keeps it. */
export interface DeadLetterRequest extends Omit<DeadLetterInput, 'group'> {
  /** The failure policy's rule that decided (logged beside the error). */
  readonly rule?: string;
}

/**
 * Where a failed message goes: a copy on `<group>.retry.<level>` (with its origin, attempt count and
 * due time in headers), or the envelope on `<group>.dlq`. Both are sent — acknowledged by Kafka — before
 * the runner moves the partition's offset past the message.
 */
export class FailureRouter {
  constructor(
    private readonly group: Pick<ConsumerGroupDefinition, 'name' | 'retryDelaysMs'>,
    private readonly deps: FailureRouterDependencies,
  ) {}

  async retryLater(
    message: IncomingMessage,
    delivery: Delivery,
    level: number,
    error: unknown,
    attempts: number,
    firstFailedAt: number,
  ): Promise<void> {
    const delayMs = this.group.retryDelaysMs[level - 1] ?? 0;
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
        topic: this.deps.namespace.topic(retryTopicName(this.group.name, level)),
        key: message.key,
        value: message.value,
        headers,
      },
    ]);
    this.deps.metrics.consumed.inc({ topic: origin.topic, group: this.group.name, outcome: 'retried' });
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

  async deadLetter(request: DeadLetterRequest): Promise<void> {
    const group = this.group.name;
    const { message, origin, eventId, reason, attempts } = request;
    const { value, headers } = deadLetterEnvelope({
      group,
      message,
      origin,
      eventId,
      reason,
      error: request.error,
      attempts,
      firstFailedAt: request.firstFailedAt,
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
        rule: request.rule,
        attempts,
      },
      `message dead-lettered to ${topic}: ${value.errorMessage}`,
    );
  }
}
