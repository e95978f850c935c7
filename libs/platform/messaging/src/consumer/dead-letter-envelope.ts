import type { DeadLetter, DeadLetterReason } from '@pardot-x3/canonical';
import { redactSecretsInText } from '@pardot-x3/observability';
import type { IncomingMessage } from '../driver/kafka-driver.types.js';
import { TRANSPORT_HEADERS, withoutTransportHeaders } from '../events/event-headers.js';

const MAX_MESSAGE_LENGTH = 2_000;
const MAX_STACK_LENGTH = 8_000;

/** Where a message was first read (retry copies carry it in headers). */
export interface MessageOrigin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: number;
}

export interface DeadLetterInput {
  readonly group: string;
  readonly message: IncomingMessage;
  readonly origin: MessageOrigin;
  readonly eventId: string | undefined;
  readonly reason: DeadLetterReason;
  readonly error: unknown;
  readonly attempts: number;
  readonly firstFailedAt: number;
}

/** The error's class name, e.g. ValidationError, PardotApiError (the `error_class` metric label). */
export function errorClassOf(error: unknown): string {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? error.name : (error.constructor?.name ?? 'Error');
  return typeof error;
}

export function errorMessageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return truncate(redactSecretsInText(text), MAX_MESSAGE_LENGTH);
}

/** The DeadLetter envelope (schema pardotx3.platform.DeadLetter) and the headers repeating its essentials. */
export function deadLetterEnvelope(input: DeadLetterInput): {
  value: DeadLetter;
  headers: Record<string, string>;
} {
  const { message, origin, error } = input;
  const errorClass = errorClassOf(error);
  const errorMessage = errorMessageOf(error);
  const stack =
    error instanceof Error && error.stack
      ? truncate(redactSecretsInText(error.stack), MAX_STACK_LENGTH)
      : null;
  const value: DeadLetter = {
    consumerGroup: input.group,
    eventId: input.eventId ?? null,
    reason: input.reason,
    errorClass,
    errorMessage,
    errorStack: stack,
    attempts: input.attempts,
    firstFailedAt: new Date(input.firstFailedAt),
    deadLetteredAt: new Date(),
    origin: {
      topic: origin.topic,
      partition: origin.partition,
      offset: Number(origin.offset),
      timestamp: new Date(origin.timestamp),
    },
    key: message.key,
    payload: message.value,
    headers: Object.entries(withoutTransportHeaders(message.headers)).map(([name, headerValue]) => ({
      name,
      value: headerValue,
    })),
  };
  const headers: Record<string, string> = {
    [TRANSPORT_HEADERS.deadLetterGroup]: input.group,
    [TRANSPORT_HEADERS.deadLetterReason]: input.reason,
    [TRANSPORT_HEADERS.deadLetterErrorClass]: errorClass,
    // Header values stay short; the envelope has the whole message.
    [TRANSPORT_HEADERS.deadLetterErrorMessage]: truncate(errorMessage, 500),
    [TRANSPORT_HEADERS.deadLetterAttempts]: String(input.attempts),
    [TRANSPORT_HEADERS.deadLetterOriginTopic]: origin.topic,
    [TRANSPORT_HEADERS.deadLetterOriginPartition]: String(origin.partition),
    [TRANSPORT_HEADERS.deadLetterOriginOffset]: origin.offset,
  };
  return { value, headers };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
