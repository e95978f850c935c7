import type { TopicDefinition } from '@pardot-x3/canonical';
import type { DataSource, EntityManager } from '@pardot-x3/persistence';
// the inbox alone, not the package's index: that loads typeorm, which a service without a database never
// needs (docs/decisions/0132)
import { ProcessedEventInbox } from '@pardot-x3/persistence/inbox';
import type { IncomingMessage } from '../driver/kafka-driver.types.js';
import { headerText, TRANSPORT_HEADERS, type EventMetadata } from '../events/event-headers.js';
import { deriveEventId } from '../events/event-id.js';
import type { ConsumeOutcome } from '../metrics/messaging-metrics.js';
import { NonRetriableError } from '../errors/non-retriable.error.js';
import {
  outgoingEvent,
  type EventProducer,
  type OutgoingEvent,
  type OutgoingTombstone,
} from '../producer/event-producer.js';
import type { Delivery } from './delivery.js';
import type { HandlerRegistration, MessageContext } from './message-handler.types.js';

/** What a handler queued with emit, reply and emitTombstone, in the order it did. */
type Queued =
  | { readonly kind: 'event'; readonly event: OutgoingEvent }
  | { readonly kind: 'tombstone'; readonly topic: TopicDefinition<unknown>; readonly key: string };

/** A decoded message of a batch, ready for its handler. */
export interface PreparedEvent {
  readonly message: IncomingMessage;
  readonly delivery: Delivery;
  readonly metadata: EventMetadata;
  readonly event: unknown;
}

export interface EventApplierOptions {
  /** The group's id on the cluster (namespace included): the inbox key. */
  readonly physicalGroup: string;
  readonly group: string;
  readonly dataSource?: DataSource;
  readonly producer: EventProducer;
  readonly signal: AbortSignal;
}

/**
 * The exactly-once core: applies an event (or a batch of them) in one transaction with its inbox row, and
 * sends what the handler emitted — with ids derived from the event, so a re-delivery sends the same ids
 * and the producer's and readers' dedupe hold — before the transaction commits. A re-delivered event
 * finds its inbox row and is skipped ('duplicate'). What one event or one batch queued goes out in one
 * producer request (shared with the other partitions' sends of the moment), in the order queued.
 */
export class EventApplier {
  private readonly inbox = new ProcessedEventInbox();

  constructor(private readonly options: EventApplierOptions) {}

  /** One attempt at one event: the inbox check, the handler, the emitted events; all or nothing. */
  async applyOne(
    message: IncomingMessage,
    delivery: Delivery,
    metadata: EventMetadata,
    event: unknown,
    attempt: number,
  ): Promise<Extract<ConsumeOutcome, 'processed' | 'duplicate'>> {
    const outbox: Queued[] = [];
    const run = async (manager: EntityManager | undefined): Promise<void> => {
      const context = this.context(message, delivery, metadata, attempt, manager, outbox);
      if (event === null && message.value === null)
        await delivery.handler.onTombstone?.(context.key ?? '', context);
      else await delivery.handler.handle(event, context);
      await this.send(this.derived(metadata, delivery.replayId, outbox));
    };
    const { dataSource } = this.options;
    if (!dataSource) {
      await run(undefined);
      return 'processed';
    }
    return dataSource.transaction(async (manager) => {
      const fresh = await this.inbox.recordIfNew(manager, this.inboxRow(delivery, metadata));
      if (!fresh) return 'duplicate';
      await run(manager);
      return 'processed';
    });
  }

  /** One batch through the registration's batch handler, in one transaction; returns how many were new. */
  async applyBatch(prepared: readonly PreparedEvent[], registration: HandlerRegistration): Promise<number> {
    const handleBatch = registration.handleBatch;
    if (!handleBatch) throw new Error(`${registration.topic.name} has no batch handler`);
    const items = prepared.map((p) => ({ ...p, outbox: [] as Queued[] }));
    const { group } = this.options;
    const run = async (manager: EntityManager | undefined): Promise<number> => {
      let fresh = items;
      if (manager) {
        const recorded = await this.inbox.recordAllIfNew(
          manager,
          items.map((p) => this.inboxRow(p.delivery, p.metadata)),
        );
        fresh = items.filter((_, i) => recorded.has(i));
      }
      if (fresh.length === 0) return 0;
      await handleBatch(
        fresh.map((p) => ({
          event: p.event,
          context: this.context(p.message, p.delivery, p.metadata, p.delivery.attempt, manager, p.outbox),
        })),
        {
          get entityManager(): EntityManager {
            return managerOf(group, manager);
          },
          signal: this.options.signal,
        },
      );
      // Everything the batch queued in one request, event by event in offset order.
      await this.send(fresh.flatMap((p) => this.derived(p.metadata, p.delivery.replayId, p.outbox)));
      return fresh.length;
    };
    const { dataSource } = this.options;
    return dataSource ? dataSource.transaction((manager) => run(manager)) : run(undefined);
  }

  private inboxRow(delivery: Delivery, metadata: EventMetadata) {
    return {
      consumerGroup: this.options.physicalGroup,
      eventId: metadata.eventId,
      replayId: delivery.replayId,
      topic: delivery.origin.topic,
      partition: delivery.origin.partition,
      offset: delivery.origin.offset,
    };
  }

  /**
   * What a handler queued, with ids derived from the event (and the replay) and its lineage: the n-th
   * event on a topic `<topic>#<n>`, the n-th tombstone `<topic>#tombstone#<n>` (n counted per kind).
   */
  private derived(
    cause: EventMetadata,
    replayId: string | undefined,
    outbox: readonly Queued[],
  ): (OutgoingEvent | OutgoingTombstone)[] {
    const causeId = replayId ? `${cause.eventId}@replay:${replayId}` : cause.eventId;
    let events = 0;
    let tombstones = 0;
    return outbox.map((q) => {
      if (q.kind === 'tombstone') {
        const eventId = deriveEventId(causeId, `${q.topic.name}#tombstone#${tombstones}`);
        tombstones += 1;
        return { tombstone: q.topic, key: q.key, options: { causedBy: cause, eventId } };
      }
      const e = q.event;
      const eventId = deriveEventId(causeId, `${e.topic.name}#${events}`);
      events += 1;
      return outgoingEvent(e.topic, e.value, { ...e.options, causedBy: cause, eventId });
    });
  }

  /** Sends what the handler queued: before the effect commits. */
  private async send(items: readonly (OutgoingEvent | OutgoingTombstone)[]): Promise<void> {
    if (items.length > 0) await this.options.producer.publish(items);
  }

  private context(
    message: IncomingMessage,
    delivery: Delivery,
    metadata: EventMetadata,
    attempt: number,
    manager: EntityManager | undefined,
    outbox: Queued[],
  ): MessageContext {
    const { group } = this.options;
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
      raw: { key: message.key, value: message.value, headers: message.headers, origin: delivery.origin },
      get entityManager(): EntityManager {
        return managerOf(group, manager);
      },
      signal: this.options.signal,
      emit: (topic, value, options) => {
        outbox.push({ kind: 'event', event: outgoingEvent(topic, value, options) });
      },
      emitTombstone: (topic, key) => {
        outbox.push({ kind: 'tombstone', topic, key });
      },
      reply: (topic, value) => {
        if (replyTo !== undefined && replyTo !== topic.name) {
          throw new NonRetriableError(
            `The request asks for a reply on ${replyTo}, but the handler replies on ${topic.name}`,
          );
        }
        outbox.push({ kind: 'event', event: outgoingEvent(topic, value) });
      },
    };
  }
}

/** The transaction's entity manager, or why there is none (a runner without a data source). */
function managerOf(group: string, manager: EntityManager | undefined): EntityManager {
  if (!manager)
    throw new Error(
      `Consumer group ${group} has no data source: pass one to the runner to use context.entityManager`,
    );
  return manager;
}
