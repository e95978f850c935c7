/** The external systems the connectors talk to; the `system` label of every external-API metric. */
export type ExternalSystem = 'salesforce' | 'pardot' | 'x3';

/**
 * What a caller should do about a failed call:
 * - `transient`: try again soon (network error, timeout, 5xx, the documented concurrency/lock errors);
 * - `limit`: a quota is used up; try again when it resets, never drop the work;
 * - `auth`: the credentials or the token were refused; fix the configuration;
 * - `permanent`: the request itself is wrong (bad data, missing record); retrying cannot help.
 */
export type ExternalApiErrorKind = 'transient' | 'limit' | 'auth' | 'permanent';

export interface ExternalApiErrorDetails {
  readonly system: ExternalSystem;
  /** The connector operation, e.g. `upsertProspect`; the `operation` metric label. */
  readonly operation: string;
  readonly kind: ExternalApiErrorKind;
  /** HTTP status, when a response arrived. */
  readonly status?: number;
  /** The system's own error code (`REQUEST_LIMIT_EXCEEDED`, `66`, `721`…), when it gave one. */
  readonly code?: string;
  /** The system's own message, verbatim (never contains our credentials). */
  readonly rawMessage?: string;
  /** A delay the system asked for, or that the error class implies, before trying again. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

/**
 * Base class of every error a connector raises about a call to Salesforce, Pardot or Sage X3. The
 * message says in user terms what failed ("Pardot rejected prospect jane@…: error 4 Invalid prospect
 * email address"); the fields say what to do about it.
 */
export class ExternalApiError extends Error {
  readonly system: ExternalSystem;
  readonly operation: string;
  readonly kind: ExternalApiErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly rawMessage?: string;
  readonly retryAfterMs?: number;

  constructor(message: string, details: ExternalApiErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ExternalApiError';
    this.system = details.system;
    this.operation = details.operation;
    this.kind = details.kind;
    this.status = details.status;
    this.code = details.code;
    this.rawMessage = details.rawMessage;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** True when the same call may succeed if simply tried again shortly. */
  get retryable(): boolean {
    return this.kind === 'transient';
  }
}

/** Node/undici/axios network failure codes that mean "the request may not have reached the server". */
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_CANCELED',
]);

/** The network error code of an error or of one of its causes, if any. */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return code;
    const name = (current as { name?: unknown }).name;
    if (name === 'AbortError' || name === 'TimeoutError') return 'ETIMEDOUT';
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** HTTP statuses that mean "the server could not handle it now": worth another try. */
export function isTransientHttpStatus(status: number): boolean {
  return (
    status === 408 || status === 429 || status === 502 || status === 503 || status === 504 || status === 500
  );
}

/**
 * A copy of a transport error fit to keep as `cause`: name, message and network code only. HTTP
 * client errors carry the request configuration (Basic credentials, bearer tokens, form bodies with
 * client secrets or JWT assertions), and loggers serialise causes; this keeps those out of logs.
 */
export function sanitizedCause(error: unknown): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(source.message);
  copy.name = source.name;
  const code = networkErrorCode(error) ?? (source as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}
