import { readFileSync } from 'node:fs';
import type { KafkaConfig } from './common-config.js';

/** The TLS and SASL part of the Kafka settings, as every Kafka client of the project uses them. */
export interface KafkaClientSecurity {
  /** KAFKA_SSL. */
  readonly ssl: boolean;
  /** The PEM text of KAFKA_SSL_CA_FILE: the only authorities trusted for the brokers' certificates. */
  readonly sslCa?: string;
  readonly sasl?: {
    readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    readonly username: string;
    /** Secret: never logged. */
    readonly password: string;
  };
}

type SecuritySettings = Pick<
  KafkaConfig,
  'KAFKA_SSL' | 'KAFKA_SSL_CA_FILE' | 'KAFKA_SASL_MECHANISM' | 'KAFKA_SASL_USERNAME' | 'KAFKA_SASL_PASSWORD'
>;

/**
 * Reads KAFKA_SSL, KAFKA_SSL_CA_FILE and KAFKA_SASL_* (already validated by the schema) into client
 * options, at boot: a CA file that is missing, unreadable or holds no PEM certificate, a CA file
 * without KAFKA_SSL, or a SASL mechanism without user name and password is an error naming the setting.
 */
export function kafkaClientSecurity(settings: SecuritySettings): KafkaClientSecurity {
  const mechanism = settings.KAFKA_SASL_MECHANISM;
  if (
    mechanism &&
    (settings.KAFKA_SASL_USERNAME === undefined || settings.KAFKA_SASL_PASSWORD === undefined)
  ) {
    throw new Error(
      'KAFKA_SASL_MECHANISM is set: KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required too',
    );
  }
  const caFile = settings.KAFKA_SSL_CA_FILE;
  if (caFile !== undefined && !settings.KAFKA_SSL) {
    throw new Error(
      `KAFKA_SSL_CA_FILE is set (${caFile}) but KAFKA_SSL is not true: set KAFKA_SSL=true to connect over TLS, or unset KAFKA_SSL_CA_FILE`,
    );
  }
  return {
    ssl: settings.KAFKA_SSL,
    ...(caFile !== undefined ? { sslCa: readCaFile(caFile) } : {}),
    ...(mechanism
      ? {
          sasl: {
            mechanism,
            username: settings.KAFKA_SASL_USERNAME ?? '',
            password: settings.KAFKA_SASL_PASSWORD ?? '',
          },
        }
      : {}),
  };
}

function readCaFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`KAFKA_SSL_CA_FILE names ${path}, which cannot be read (${code})`, { cause: error });
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(
      `KAFKA_SSL_CA_FILE names ${path}, which holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  }
  return text;
}

/** Where a client tried to connect and how: for {@link explainKafkaConnectionError}. */
export interface KafkaConnectionTarget {
  readonly brokers: readonly string[];
  readonly ssl?: boolean;
  readonly sslCa?: string;
  readonly sasl?: { readonly mechanism: string; readonly username: string };
}

/** Node's TLS verification failures: the broker's certificate is not one this client trusts. */
const UNTRUSTED_CERTIFICATE =
  /SELF_SIGNED_CERT|self[- ]signed certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify the first certificate|UNABLE_TO_GET_ISSUER_CERT|unable to get (local )?issuer certificate|CERT_HAS_EXPIRED|certificate has expired|ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames|certificate verify failed/i;

/**
 * A connection failure as a person can act on it: refused SASL credentials name KAFKA_SASL_USERNAME
 * and KAFKA_SASL_PASSWORD, an unknown mechanism KAFKA_SASL_MECHANISM, an untrusted broker certificate
 * KAFKA_SSL_CA_FILE, each with the broker's (or TLS layer's) own answer. Other errors are returned as
 * they are. Never includes the password.
 */
export function explainKafkaConnectionError(error: unknown, target: KafkaConnectionTarget): unknown {
  if (!(error instanceof Error)) return error;
  const answer = errorChainText(error);
  const where = `Kafka at ${target.brokers.join(',')}`;
  const sasl = target.sasl;
  if (
    sasl &&
    /mechanism is not supported|unsupported sasl mechanism|UNSUPPORTED_SASL_MECHANISM/i.test(answer)
  ) {
    return new KafkaConnectionRefusedError(
      `${where} does not offer SASL mechanism ${sasl.mechanism.toUpperCase()}: check KAFKA_SASL_MECHANISM. The broker answered: ${answer}`,
      error,
    );
  }
  if (
    sasl &&
    (error.name === 'KafkaJSSASLAuthenticationError' ||
      /authentication failed|SASL_AUTHENTICATION_FAILED|invalid credentials|SASL authentication error/i.test(
        answer,
      ))
  ) {
    return new KafkaConnectionRefusedError(
      `${where} refused the SASL ${sasl.mechanism.toUpperCase()} credentials of user "${sasl.username}": check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD. The broker answered: ${answer}`,
      error,
    );
  }
  if (target.ssl && UNTRUSTED_CERTIFICATE.test(answer)) {
    const trust = target.sslCa
      ? 'it is not signed by the CA of KAFKA_SSL_CA_FILE (or names another host)'
      : 'set KAFKA_SSL_CA_FILE to the PEM file of the CA that signed it';
    return new KafkaConnectionRefusedError(
      `${where}: the broker's TLS certificate is not trusted; ${trust}. TLS said: ${answer}`,
      error,
    );
  }
  return error;
}

/** A connection Kafka (or its TLS layer) refused for a reason retrying will not change. */
export class KafkaConnectionRefusedError extends Error {
  constructor(message: string, cause: Error) {
    super(message, { cause });
    this.name = 'KafkaConnectionRefusedError';
  }
}

/** The error's message and those of its causes (kafkajs wraps retried failures), without repeats. */
function errorChainText(error: Error): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let e: unknown = error; e instanceof Error && !seen.has(e);) {
    seen.add(e);
    const code = (e as NodeJS.ErrnoException).code;
    const text = code && !e.message.includes(code) ? `${e.message} (${code})` : e.message;
    if (text && !parts.some((p) => p.includes(text))) parts.push(text);
    const next: unknown = (e as { originalError?: unknown }).originalError ?? e.cause;
    e = next;
  }
  return parts.join(': ');
}
