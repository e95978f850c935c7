import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys whose values are secrets wherever they appear in a log object (any depth up to three levels).
 * Log objects, not message strings: put secrets in fields, never in the message text.
 */
const SECRET_KEYS = [
  'password',
  'passwd',
  'secret',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'apiKey',
  'api_key',
  'authorization',
  'Authorization',
  'cookie',
  'assertion',
  'privateKey',
  'DATABASE_URL',
  'KAFKA_SASL_PASSWORD',
  'SCHEMA_REGISTRY_PASSWORD',
];

export const REDACTED_PATHS: string[] = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]).concat([
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-admin-token"]',
  'req.headers["x-px3-signature"]',
]);

export interface CreateLoggerOptions {
  readonly service: string;
  readonly level?: LoggerOptions['level'];
  /** Extra fields on every line (e.g. version, instance id). */
  readonly base?: Record<string, unknown>;
  /** Defaults to standard output; tests may pass a stream to read what was logged. */
  readonly destination?: NodeJS.WritableStream;
}

/** Structured JSON logs, one object per line, secrets replaced by "[redacted]". */
export function createLogger(options: CreateLoggerOptions): Logger {
  const config: LoggerOptions = {
    level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
    base: { service: options.service, pid: process.pid, ...options.base },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** Replaces credentials embedded in URLs (user:password@host) and bearer tokens inside free text. */
export function redactSecretsInText(text: string): string {
  return text
    .replace(/(\/\/[^:/@\s]+:)[^@\s]+@/g, '$1[redacted]@')
    .replace(/(Bearer\s+)[^\s"',]+/gi, '$1[redacted]')
    .replace(/((?:password|secret|token|api_key|access_token)=)[^&\s]+/gi, '$1[redacted]');
}
