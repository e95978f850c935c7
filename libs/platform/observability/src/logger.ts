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

export const REDACTED_PATHS: string[] = SECRET_KEYS.flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`,
  `*.*.*.${key}`,
]).concat([
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-admin-token"]',
  'req.headers["x-px3-signature"]',
  'req.headers["x-api-key"]',
]);

/** What replaces a secret in a log line. */
export const REDACTED = '[redacted]';

export interface CreateLoggerOptions {
  readonly service: string;
  readonly level?: LoggerOptions['level'];
  /** Extra fields on every line (e.g. version, instance id). */
  readonly base?: Record<string, unknown>;
  /** Defaults to standard output; tests may pass a stream to read what was logged. */
  readonly destination?: NodeJS.WritableStream;
  /**
   * Values that must never be written (the configuration's secrets): replaced by "[redacted]" wherever
   * they occur in a line — a field of any name, an error message, a URL — after the key-based redaction.
   * Added to the process-wide list (`registerSecretValues`) that every logger of the process scrubs.
   */
  readonly secretValues?: readonly string[];
}

const processSecretValues = new Set<string>();
let processScrubber: (line: string) => string = (line) => line;

/**
 * Secret values no logger of this process may write (the service runtime registers the configuration's
 * secrets at boot): every logger made by `createLogger`, before or after, replaces them by "[redacted]".
 */
export function registerSecretValues(values: readonly string[]): void {
  const before = processSecretValues.size;
  for (const value of values) if (value.length > 0) processSecretValues.add(value);
  if (processSecretValues.size !== before) processScrubber = secretValueScrubber([...processSecretValues]);
}

/**
 * The pino options behind every pardot-x3 log line: one JSON object per line, ISO time, the level as a
 * word, the service name and pid on every line, secrets replaced by "[redacted]".
 */
export function loggerOptions(options: Omit<CreateLoggerOptions, 'destination'>): LoggerOptions {
  return {
    level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
    base: { service: options.service, pid: process.pid, ...options.base },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    hooks: { streamWrite: (line) => processScrubber(line) },
  };
}

/**
 * Replaces every occurrence of the given values in a serialized log line, as written in JSON (a value
 * with quotes, backslashes or newlines appears escaped) and as written raw.
 */
export function secretValueScrubber(values: readonly string[]): (line: string) => string {
  const forms = new Set<string>();
  for (const value of values) {
    if (value.length === 0) continue;
    forms.add(value);
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  if (forms.size === 0) return (line) => line;
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(
    [...forms]
      .sort((a, b) => b.length - a.length)
      .map(escape)
      .join('|'),
    'g',
  );
  return (line) => line.replace(pattern, REDACTED);
}

/** Structured JSON logs, one object per line, secrets replaced by "[redacted]". */
export function createLogger(options: CreateLoggerOptions): Logger {
  if (options.secretValues) registerSecretValues(options.secretValues);
  const config = loggerOptions(options);
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** Replaces credentials embedded in URLs (user:password@host) and bearer tokens inside free text. */
export function redactSecretsInText(text: string): string {
  return text
    .replace(/(\/\/[^:/@\s]+:)[^@\s]+@/g, `$1${REDACTED}@`)
    .replace(/(Bearer\s+)[^\s"',]+/gi, `$1${REDACTED}`)
    .replace(/((?:password|secret|token|api_key|access_token)=)[^&\s]+/gi, `$1${REDACTED}`);
}
