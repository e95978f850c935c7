import type { TopicDefinition } from '@pardot-x3/canonical';
import { ProcessedEventInbox, type DataSource, type EntityManager } from '@pardot-x3/persistence';
import type { IncomingMessage } from '../driver/kafka-driver.types.js';
import { headerText, TRANSPORT_HEADERS, type EventMetadata } from '../events/event-headers.js';
import { deriveEventId } from '../events/event-id.js';
import type { ConsumeOutcome } from '../metrics/messaging-metrics.js';
import { NonRetriableError } from '../errors/non-retriable.error.js';
import { outgoingEvent, type EventProducer, type OutgoingEvent } from '../producer/event-producer.js';
import type { Delivery } from './delivery.js';
import type { HandlerRegistration, MessageContext } from './message-handler.types.js';

interface Tombstone {
  readonly topic: TopicDefinition<unknown>;
  readonly key: string;
}

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
 * finds its inbox row and is skipped ('duplicate').
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
    const outbox: OutgoingEvent[] = [];
    const tombstones: Tombstone[] = [];
    const run = async (manager: EntityManager | undefined): Promise<void> => {
      const context = this.context(message, delivery, metadata, attempt, manager, outbox, tombstones);
      if (event === null && message.value === null)
        await delivery.handler.onTombstone?.(context.key ?? '', context);
      else await delivery.handler.handle(event, context);
      await this.flush(metadata, delivery.replayId, outbox, tombstones);
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
    const items = prepared.map((p) => ({
      ...p,
      outbox: [] as OutgoingEvent[],
      tombstones: [] as Tombstone[],
    }));
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
            return managerOf(group, manager);
          },
          signal: this.options.signal,
        },
      );
      const outgoing = fresh.flatMap((p) => this.derivedEvents(p.metadata, p.delivery.replayId, p.outbox));
      if (outgoing.length > 0) await this.options.producer.sendAll(outgoing);
      for (const p of fresh) await this.flush(p.metadata, p.delivery.replayId, [], p.tombstones);
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
    tombstones: readonly Tombstone[],
  ): Promise<void> {
    const events = this.derivedEvents(cause, replayId, outbox);
    if (events.length > 0) await this.options.producer.sendAll(events);
    const causeId = replayId ? `${cause.eventId}@replay:${replayId}` : cause.eventId;
    for (const [i, t] of tombstones.entries()) {
      await this.options.producer.tombstone(t.topic, t.key, {
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
    tombstones: Tombstone[],
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
}

/** The transaction's entity manager, or why there is none (a runner without a data source). */
function managerOf(group: string, manager: EntityManager | undefined): EntityManager {
  if (!manager)
    throw new Error(
      `Consumer group ${group} has no data source: pass one to the runner to use context.entityManager`,
    );
  return manager;
}
