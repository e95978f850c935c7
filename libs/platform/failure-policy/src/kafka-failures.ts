import { classified, type FailureClassification } from './failure-kind.js';
import { causeChain } from './network-failures.js';

/** Broker error types that another attempt with the same record cannot fix: the record itself is wrong. */
const KAFKA_DATA_ERRORS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
]);

/** Broker error types that need an operator: rights, credentials, settings. */
const KAFKA_CONFIG_ERRORS = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
  'UNSUPPORTED_SASL_MECHANISM',
  'ILLEGAL_SASL_STATE',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_REQUIRED_ACKS',
  'UNSUPPORTED_VERSION',
  'UNSUPPORTED_COMPRESSION_TYPE',
]);

/** KafkaJS error classes that only say "the request did not get through": connection, timeouts, retries used up. */
const KAFKAJS_CONFIG_ERROR_NAMES = new Set(['KafkaJSSASLAuthenticationError', 'KafkaJSInvalidTopic']);

/**
 * A Kafka client error (KafkaJS, or librdkafka through the Confluent client), or undefined when the error
 * is not one. KafkaJS marks an error `retriable: false` once its own retries are used up
 * (KafkaJSNumberOfRetriesExceeded, KafkaJSNonRetriableError wrapping ECONNREFUSED): that says nothing
 * about the record, so it is transient here — only broker error types about the record or the setup are
 * permanent.
 */
export function classifyKafkaError(error: unknown): FailureClassification | undefined {
  const chain = causeChain(error);
  const kafkaErrors = chain.filter((e) => isKafkaClientError(e));
  if (kafkaErrors.length === 0) return undefined;
  for (const e of kafkaErrors) {
    const type = (e as { type?: unknown }).type;
    const name = String((e as { name?: unknown }).name ?? '');
    if (typeof type === 'string' && KAFKA_DATA_ERRORS.has(type))
      return classified(
        'permanent-data',
        `Kafka broker error ${type}: the record cannot be written as it is`,
      );
    if ((typeof type === 'string' && KAFKA_CONFIG_ERRORS.has(type)) || KAFKAJS_CONFIG_ERROR_NAMES.has(name))
      return classified(
        'permanent-config',
        `Kafka ${typeof type === 'string' ? type : name}: fix the Kafka settings or ACLs`,
      );
  }
  const first = kafkaErrors[0] as { name?: unknown; type?: unknown };
  const label = typeof first.type === 'string' ? first.type : String(first.name ?? 'Kafka error');
  return classified(
    'transient',
    `Kafka client error ${label} (broker unreachable, timeout, leader change or retries used up)`,
  );
}

function isKafkaClientError(e: object): boolean {
  const name = (e as { name?: unknown }).name;
  if (typeof name === 'string' && name.startsWith('KafkaJS')) return true;
  // librdkafka errors (Confluent client): numeric code plus isRetriable/origin fields.
  return (
    typeof (e as { isRetriable?: unknown }).isRetriable === 'boolean' &&
    typeof (e as { code?: unknown }).code === 'number'
  );
}
