import { classified, isFailureKind, type FailureClassification } from './failure-kind.js';
import { classifyKafkaError } from './kafka-failures.js';
import { causeChain, networkErrorCode } from './network-failures.js';
import { classifyPostgresError } from './postgres-failures.js';

/** Error classes a handler raises on a defect or on a record the code cannot handle: the same again next time. */
const PROGRAMMING_ERRORS = new Set([
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'URIError',
  'EvalError',
]);

/** Error classes that say "the input is invalid" (the messaging layer, schema validators, zod). */
const INVALID_INPUT_ERRORS = new Set([
  'InvalidMessageError',
  'ValidationError',
  'ZodError',
  'InvalidSourceRecordError',
]);

/**
 * THE answer to "is this failure transient?" for anything the pipeline catches — thrown or rejected,
 * an Error or any other value. In order:
 * 1. not an object (a string, a number, undefined thrown) → permanent-data: nothing to retry on;
 * 2. an error that carries its verdict (`failureKind`: connector errors, back-pressure) → that verdict;
 *    `retriable: false` (non-retriable domain errors) → permanent-data;
 * 3. a network failure anywhere in the cause chain → transient;
 * 4. a Kafka client error → transient unless the broker refused the record or the setup;
 * 5. a PostgreSQL error → by SQLSTATE (a NUL byte is permanent, a deadlock transient);
 * 6. invalid input (schema validation) → permanent-data; a TypeError & co. raised by the handler → permanent-data;
 * 7. anything else → transient: retried a bounded number of times, then dead-lettered.
 */
export function classifyFailure(error: unknown): FailureClassification {
  if (error === null || typeof error !== 'object')
    return classified('permanent-data', `a non-error value was thrown (${describeValue(error)})`);

  const own = ownVerdict(error);
  if (own) return own;

  const network = networkErrorCode(error);
  if (network) return classified('transient', `network error ${network}`);

  const kafka = classifyKafkaError(error);
  if (kafka) return kafka;

  const postgres = classifyPostgresError(error);
  if (postgres) return postgres;

  for (const e of causeChain(error)) {
    const name = String((e as { name?: unknown }).name ?? '');
    if (INVALID_INPUT_ERRORS.has(name)) return classified('permanent-data', `${name}: the input is invalid`);
  }
  const name = String((error as { name?: unknown }).name ?? '');
  if (PROGRAMMING_ERRORS.has(name))
    return classified(
      'permanent-data',
      `${name} while handling the record (a defect or a record the code cannot handle)`,
    );
  if (name === 'SchemaRegistryUnavailableError')
    return classified('transient', 'schema registry unreachable');
  return classified('transient', `unclassified ${name || 'error'}: retried a bounded number of times`);
}

function ownVerdict(error: object): FailureClassification | undefined {
  const { failureKind, retryAfterMs, retriable, name } = error as {
    failureKind?: unknown;
    retryAfterMs?: unknown;
    retriable?: unknown;
    name?: unknown;
  };
  const label = typeof name === 'string' && name ? name : 'error';
  if (isFailureKind(failureKind))
    return classified(
      failureKind,
      `${label} (${failureKind})`,
      typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) ? retryAfterMs : undefined,
    );
  if (retriable === false && !String(name ?? '').startsWith('KafkaJS'))
    return classified('permanent-data', `${label}: declared non-retriable`);
  return undefined;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  const text = typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : String(value);
  return `${typeof value} ${text}`;
}
