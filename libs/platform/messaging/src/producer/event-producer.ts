import { messageKeyOf, type TopicDefinition } from '@pardot-x3/canonical';
import type { Logger } from '@pardot-x3/observability';
import { partitionForKey } from '../driver/murmur2-partitioner.js';
import type { DriverProducer, KafkaDriver, OutgoingRecord } from '../driver/kafka-driver.types.js';
import type { TopicMetadataCache } from '../driver/topic-metadata.cache.js';
import { eventHeaders, eventTypeOf, sourceOf, type EventMetadata } from '../events/event-headers.js';
import { newEventId } from '../events/event-id.js';
import type { MessagingMetrics } from '../metrics/messaging-metrics.js';
import type { TopicNamespace } from '../naming/topic-namespace.js';
import type { AvroSerde } from '../serde/avro-serde.js';
import { CoalescingSender } from './coalescing-sender.js';

export interface SendOptions {
  /** Event id; default a new UUID v7. Outputs of an input should use `deriveEventId` (idempotent re-processing). */
  readonly eventId?: string;
  /** The event this one results from: sets the causation id and carries its correlation id over. */
  readonly causedBy?: EventMetadata;
  /** Correlation id of a new flow (default: this event's id). Ignored with `causedBy`. */
  readonly correlationId?: string;
  /** When the business event occurred (default now). */
  readonly occurredAt?: Date;
  /** Extra headers, e.g. px3-reply-to on a request. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** One event to send with {@link EventProducer.sendAll}. */
export interface OutgoingEvent<V = unknown> {
  readonly topic: TopicDefinition<V>;
  readonly value: V;
  readonly options?: SendOptions;
}

/** Builds an {@link OutgoingEvent} with the value type checked against the topic. */
export function outgoingEvent<V>(
  topic: TopicDefinition<V>,
  value: V,
  options?: SendOptions,
): OutgoingEvent<unknown> {
  return { topic, value, options } as OutgoingEvent<unknown>;
}

/** A tombstone to send with other events in one request ({@link EventProducer.publish}). */
export interface OutgoingTombstone {
  readonly tombstone: TopicDefinition<unknown>;
  readonly key: string;
  readonly options?: Pick<SendOptions, 'causedBy' | 'eventId'>;
}

/** Where an event was written. */
export interface SentEvent {
  readonly eventId: string;
  /** Catalog topic name. */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly metadata: EventMetadata;
}

export interface EventProducerDependencies {
  readonly driver: KafkaDriver;
  readonly serde: AvroSerde;
  readonly topics: TopicMetadataCache;
  readonly namespace: TopicNamespace;
  /** The producing service (ce_source). */
  readonly service: string;
  readonly logger: Logger;
  readonly metrics: MessagingMetrics;
}

/**
 * Writes typed events: the key is the value's business identity (the catalog's key fields), the value
 * Avro in Confluent wire format through the registry, the headers CloudEvents binary mode. The
 * producer is idempotent (acks=all); a send resolves once every record is stored. Invalid values are
 * refused before anything is sent ({@link InvalidMessageError} naming the fields).
 */
export class EventProducer {
  private readonly producer: DriverProducer;
  private readonly sender: CoalescingSender;
  private connected?: Promise<void>;

  constructor(private readonly deps: EventProducerDependencies) {
    this.producer = deps.driver.createProducer({ idempotent: true });
    this.sender = new CoalescingSender((records) => this.producer.send(records), {
      maxInFlight: REQUESTS_IN_FLIGHT,
    });
  }

  async connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
  }

  async send<V>(topic: TopicDefinition<V>, value: V, options: SendOptions = {}): Promise<SentEvent> {
    const [sent] = await this.sendAll([outgoingEvent(topic, value, options)]);
    if (!sent) throw new Error('the producer returned no result');
    return sent;
  }

  /**
   * Sends several events in one request (shared with sends that overlap in time); resolves when all are
   * stored (not atomic: use ids to dedupe).
   */
  async sendAll(events: readonly OutgoingEvent[]): Promise<SentEvent[]> {
    return this.publish(events);
  }

  /**
   * Sends events and tombstones in one request, in the order given (one partition keeps it); resolves
   * with where each was written, in the same order.
   */
  async publish(items: readonly (OutgoingEvent | OutgoingTombstone)[]): Promise<SentEvent[]> {
    if (items.length === 0) return [];
    const prepared = await Promise.all(
      items.map((item) => ('tombstone' in item ? this.prepareTombstone(item) : this.prepare(item))),
    );
    await this.connect();
    const results = await this.sender.send(prepared.map((p) => p.record));
    return prepared.map((p, i) => {
      this.deps.metrics.produced.inc({ topic: p.topic });
      const result = results[i];
      return {
        eventId: p.metadata.eventId,
        topic: p.topic,
        partition: p.record.partition ?? -1,
        offset: result?.offset ?? '-1',
        key: p.key,
        metadata: p.metadata,
      };
    });
  }

  /** Deletes the latest state of `key` on a compacted topic (a null value). */
  async tombstone(
    topic: TopicDefinition<unknown>,
    key: string,
    options: Pick<SendOptions, 'causedBy' | 'eventId'> = {},
  ): Promise<SentEvent> {
    const [sent] = await this.publish([{ tombstone: topic, key, options }]);
    if (!sent) throw new Error('the producer returned no result');
    return sent;
  }

  /**
   * Sends records that are already encoded (replay, redrive, dead letters): physical topic names;
   * the partition is taken from the record or chosen from its key as for events.
   */
  async sendEncoded(
    records: readonly OutgoingRecord[],
  ): Promise<{ topic: string; partition: number; offset: string }[]> {
    if (records.length === 0) return [];
    const placed = await Promise.all(
      records.map(async (record) => {
        if (record.partition !== undefined) return record;
        const count = await this.deps.topics.partitionCount(record.topic);
        const partition =
          record.key === null ? Math.floor(Math.random() * count) : partitionForKey(record.key, count);
        return { ...record, partition };
      }),
    );
    await this.connect();
    const results = await this.sender.send(placed);
    for (const record of placed)
      this.deps.metrics.produced.inc({ topic: this.deps.namespace.logical(record.topic) ?? record.topic });
    return results.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.offset }));
  }

  async disconnect(): Promise<void> {
    if (this.connected) {
      this.connected = undefined;
      await this.producer.disconnect();
    }
  }

  private async prepare(
    event: OutgoingEvent,
  ): Promise<{ record: OutgoingRecord; metadata: EventMetadata; topic: string; key: string }> {
    const { topic, value, options = {} } = event;
    const key = messageKeyOf(topic, value);
    const physical = this.deps.namespace.topic(topic.name);
    const metadata = this.metadata(topic, key, options);
    // The value and its schema first, then the topic: errors come in a fixed order (both lookups are cached).
    const bytes = await this.deps.serde.serialize(
      this.deps.namespace.subject(topic.name),
      topic.value,
      value,
    );
    const partitions = await this.deps.topics.partitionCount(physical);
    return {
      topic: topic.name,
      key,
      metadata,
      record: {
        topic: physical,
        key,
        value: bytes,
        partition: partitionForKey(key, partitions),
        headers: { ...options.headers, ...eventHeaders(metadata) },
      },
    };
  }

  private async prepareTombstone(
    item: OutgoingTombstone,
  ): Promise<{ record: OutgoingRecord; metadata: EventMetadata; topic: string; key: string }> {
    const { tombstone: topic, key, options = {} } = item;
    const physical = this.deps.namespace.topic(topic.name);
    const metadata = this.metadata(topic, key, options);
    const partition = partitionForKey(key, await this.deps.topics.partitionCount(physical));
    return {
      topic: topic.name,
      key,
      metadata,
      record: { topic: physical, key, value: null, partition, headers: eventHeaders(metadata) },
    };
  }

  private metadata(topic: TopicDefinition<unknown>, key: string, options: SendOptions): EventMetadata {
    const eventId = options.eventId ?? newEventId();
    return {
      eventId,
      type: eventTypeOf(topic.name),
      source: sourceOf(this.deps.service),
      time: options.occurredAt ?? new Date(),
      subject: key,
      correlationId: options.causedBy?.correlationId ?? options.correlationId ?? eventId,
      causationId: options.causedBy?.eventId,
    };
  }
}

/**
 * Producer requests one client keeps in flight. kafkajs's idempotent producer sends one request per
 * broker at a time whatever `maxInFlightRequests` says (a lock per broker keeps its sequence numbers in
 * order), so a second request would only queue behind the first: the next request instead carries
 * everything queued meanwhile.
 */
const REQUESTS_IN_FLIGHT = 1;
