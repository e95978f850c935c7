import { isPermanent, networkErrorCode, type FailureKind } from '@pardot-x3/failure-policy';

/** The external systems the connectors talk to; the `system` label of every external-API metric. */
export type ExternalSystem = 'salesforce' | 'pardot' | 'x3';

/**
 * What a caller should do about a failed call: the pipeline's one failure vocabulary
 * (`@pardot-x3/failure-policy`): `transient` (try again soon), `throttled` (a quota or a busy system
 * says "not now": wait, never drop the work), `permanent-data` (this request is wrong: dead-letter it),
 * `permanent-config` (credentials, rights or setup: an operator must act).
 */
export type ExternalApiErrorKind = FailureKind;

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

  /** The failure policy reads the verdict from here (see `classifyFailure`). */
  get failureKind(): FailureKind {
    return this.kind;
  }

  /** True when the same call may succeed if simply tried again shortly. */
  get retryable(): boolean {
    return this.kind === 'transient';
  }

  /** True when retrying cannot help: the record or the setup must change first. */
  get permanent(): boolean {
    return isPermanent(this.kind);
  }
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
