import type { DeadLetterReason } from '@pardot-x3/canonical';
import type { IncomingMessage } from '../driver/kafka-driver.types.js';
import { EVENT_HEADERS } from '../events/event-headers.js';
import { newEventId } from '../events/event-id.js';
import type { MessageOrigin } from './dead-letter-envelope.js';
import type { FailureRouter } from './failure-router.js';

/**
 * An event whose effect is completed later, outside its handler (a queued write, a coalesced update):
 * kept as it was read, so that when the deferred effect fails for good the event can be parked on the
 * consumer group's dead-letter topic and re-driven after a fix, like any failed message. JSON-safe
 * (bytes in base64) to be stored beside the deferred work.
 */
export interface ParkableMessage {
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly origin: {
    readonly topic: string;
    readonly partition: number;
    readonly offset: string;
    readonly timestamp: number;
  };
  readonly eventId: string;
}

/** The failure of a deferred effect, as the dead letter records it. */
export interface DeferredFailure {
  readonly error: unknown;
  /** RETRIES_EXHAUSTED when transient failures outlived the effect's deadline; NON_RETRIABLE_ERROR otherwise. */
  readonly reason: Exclude<DeadLetterReason, 'INVALID_MESSAGE'>;
  readonly attempts: number;
  readonly firstFailedAt: number;
  /** The failure policy's rule that decided. */
  readonly rule?: string;
}

/** The message a handler is handling, in a form to store beside a deferred effect. */
export function parkableMessage(raw: {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, Buffer>>;
  readonly origin: MessageOrigin;
  readonly eventId: string;
}): ParkableMessage {
  return {
    key: raw.key?.toString('base64') ?? null,
    value: raw.value?.toString('base64') ?? null,
    headers: Object.fromEntries(Object.entries(raw.headers).map(([k, v]) => [k, v.toString('base64')])),
    origin: { ...raw.origin },
    eventId: raw.eventId,
  };
}

/**
 * Parks the event of a deferred effect that failed for good on `<group>.dlq`. The copy gets a new event
 * id (the original one is in the envelope): the group has already recorded the original in its inbox, so
 * a re-drive under the same id would be skipped as a duplicate instead of applying the effect again.
 */
export async function parkDeferredEffect(
  router: FailureRouter,
  parked: ParkableMessage,
  failure: DeferredFailure,
): Promise<void> {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(parked.headers)) headers[name] = Buffer.from(value, 'base64');
  headers[EVENT_HEADERS.id] = Buffer.from(newEventId());
  const message: IncomingMessage = {
    topic: parked.origin.topic,
    partition: parked.origin.partition,
    offset: parked.origin.offset,
    timestamp: parked.origin.timestamp,
    key: parked.key === null ? null : Buffer.from(parked.key, 'base64'),
    value: parked.value === null ? null : Buffer.from(parked.value, 'base64'),
    headers,
  };
  await router.deadLetter({
    message,
    origin: parked.origin,
    eventId: parked.eventId,
    reason: failure.reason,
    error: failure.error,
    attempts: failure.attempts,
    firstFailedAt: failure.firstFailedAt,
    rule: failure.rule,
  });
}
