/**
 * Message headers. Every event carries its CloudEvents attributes in binary mode (Kafka protocol
 * binding: `ce_` prefix, value = the Avro payload in Confluent wire format), and the transport adds
 * `px3-` bookkeeping headers to retried, re-driven, replayed and dead-lettered copies.
 */
export const EVENT_HEADERS = {
  specVersion: 'ce_specversion',
  /** Event id: the dedupe key of every consumer. */
  id: 'ce_id',
  /** The producing service, e.g. urn:pardot-x3:x3-ingest. */
  source: 'ce_source',
  /** Event type: pardotx3.<catalog topic>, e.g. pardotx3.customer.observation.recorded.v1. */
  type: 'ce_type',
  /** When the business event occurred (RFC 3339). */
  time: 'ce_time',
  /** The message key (business identity). */
  subject: 'ce_subject',
  /** Id shared by every event of one flow (the first event's id). CloudEvents extension. */
  correlationId: 'ce_correlationid',
  /** Id of the event that caused this one. CloudEvents extension. */
  causationId: 'ce_causationid',
  contentType: 'content-type',
} as const;

export const TRANSPORT_HEADERS = {
  /** Request-reply: the catalog topic the requester reads replies on. */
  replyTo: 'px3-reply-to',
  /** Attempts made so far by the consumer group (on retry and redrive copies). */
  attempt: 'px3-attempt',
  /** Where the message was first read: catalog topic, partition, offset, timestamp. */
  originTopic: 'px3-origin-topic',
  originPartition: 'px3-origin-partition',
  originOffset: 'px3-origin-offset',
  originTimestamp: 'px3-origin-timestamp',
  /** Retry copies: not to be processed before this time (epoch ms). */
  retryAt: 'px3-retry-at',
  firstFailedAt: 'px3-first-failed-at',
  lastErrorClass: 'px3-last-error-class',
  lastErrorMessage: 'px3-last-error-message',
  /** Replayed copies: the replay run. */
  replayId: 'px3-replay-id',
  replayedAt: 'px3-replayed-at',
  /** Re-driven copies: the dead letter they came from (<partition>:<offset>) and when. */
  redriveOf: 'px3-redrive-of',
  redrivenAt: 'px3-redriven-at',
  /** Dead letters (also in the DeadLetter value). */
  deadLetterGroup: 'px3-dlq-group',
  deadLetterReason: 'px3-dlq-reason',
  deadLetterErrorClass: 'px3-dlq-error-class',
  deadLetterErrorMessage: 'px3-dlq-error-message',
  deadLetterAttempts: 'px3-dlq-attempts',
  deadLetterOriginTopic: 'px3-dlq-origin-topic',
  deadLetterOriginPartition: 'px3-dlq-origin-partition',
  deadLetterOriginOffset: 'px3-dlq-origin-offset',
} as const;

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const AVRO_CONTENT_TYPE = 'application/avro';

/** An event's identity and lineage, from its headers. */
export interface EventMetadata {
  readonly eventId: string;
  /** pardotx3.<catalog topic>. */
  readonly type: string;
  readonly source: string;
  /** When the business event occurred. */
  readonly time: Date;
  /** The message key, when there is one. */
  readonly subject?: string;
  readonly correlationId: string;
  readonly causationId?: string;
}

/** `pardotx3.<topic>`: the CloudEvents type of events on a catalog topic. */
export function eventTypeOf(topic: string): string {
  return `pardotx3.${topic}`;
}

export function sourceOf(service: string): string {
  return `urn:pardot-x3:${service}`;
}

/** The CloudEvents headers of an event. */
export function eventHeaders(metadata: EventMetadata): Record<string, string> {
  const headers: Record<string, string> = {
    [EVENT_HEADERS.specVersion]: CLOUDEVENTS_SPEC_VERSION,
    [EVENT_HEADERS.id]: metadata.eventId,
    [EVENT_HEADERS.source]: metadata.source,
    [EVENT_HEADERS.type]: metadata.type,
    [EVENT_HEADERS.time]: metadata.time.toISOString(),
    [EVENT_HEADERS.correlationId]: metadata.correlationId,
    [EVENT_HEADERS.contentType]: AVRO_CONTENT_TYPE,
  };
  if (metadata.subject !== undefined) headers[EVENT_HEADERS.subject] = metadata.subject;
  if (metadata.causationId !== undefined) headers[EVENT_HEADERS.causationId] = metadata.causationId;
  return headers;
}

/** Header values as text. */
export function headerText(headers: Readonly<Record<string, Buffer>>, name: string): string | undefined {
  return headers[name]?.toString('utf8');
}

/** Header values as a number, or undefined when absent or not a number. */
export function headerNumber(headers: Readonly<Record<string, Buffer>>, name: string): number | undefined {
  const text = headerText(headers, name);
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Reads the metadata of a received event. `fallbackId` is used when the producer sent no `ce_id`
 * (a message from outside pardot-x3): derived from where the message was first stored, so every
 * delivery of that message gets the same id.
 */
export function readEventMetadata(
  headers: Readonly<Record<string, Buffer>>,
  fallbackId: string,
  timestamp: number,
): EventMetadata {
  const eventId = headerText(headers, EVENT_HEADERS.id) ?? fallbackId;
  const time = headerText(headers, EVENT_HEADERS.time);
  const parsedTime = time ? new Date(time) : new Date(timestamp);
  return {
    eventId,
    type: headerText(headers, EVENT_HEADERS.type) ?? 'unknown',
    source: headerText(headers, EVENT_HEADERS.source) ?? 'unknown',
    time: Number.isNaN(parsedTime.getTime()) ? new Date(timestamp) : parsedTime,
    subject: headerText(headers, EVENT_HEADERS.subject),
    correlationId: headerText(headers, EVENT_HEADERS.correlationId) ?? eventId,
    causationId: headerText(headers, EVENT_HEADERS.causationId),
  };
}

/** The headers of a received message without the transport's bookkeeping (what the producer sent). */
export function withoutTransportHeaders(headers: Readonly<Record<string, Buffer>>): Record<string, Buffer> {
  const bookkeeping = new Set<string>(Object.values(TRANSPORT_HEADERS));
  // The reply-to header belongs to the request itself and survives copies.
  bookkeeping.delete(TRANSPORT_HEADERS.replyTo);
  bookkeeping.delete(TRANSPORT_HEADERS.replayId);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !bookkeeping.has(name)));
}
