import { ExternalApiError, type ExternalApiErrorKind } from '@pardot-x3/connector-kit';
import { classifySalesforceResponse } from '@pardot-x3/failure-policy';

/** One entry of a Salesforce REST error body: `[{"message","errorCode","fields"}]`; `statusCode` inside collections. */
export interface SalesforceErrorEntry {
  readonly message: string;
  readonly errorCode: string;
  readonly fields?: readonly string[];
}

/** A call to Salesforce failed; `errorCode` is Salesforce's own (`INVALID_FIELD`, `REQUEST_LIMIT_EXCEEDED`…). */
export class SalesforceApiError extends ExternalApiError {
  readonly errorCode: string;
  readonly errors: readonly SalesforceErrorEntry[];

  constructor(
    message: string,
    details: {
      operation: string;
      kind: ExternalApiErrorKind;
      status?: number;
      errors: readonly SalesforceErrorEntry[];
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    const first = details.errors[0];
    super(message, {
      system: 'salesforce',
      operation: details.operation,
      kind: details.kind,
      status: details.status,
      code: first?.errorCode,
      rawMessage: first?.message,
      retryAfterMs: details.retryAfterMs,
      cause: details.cause,
    });
    this.name = 'SalesforceApiError';
    this.errorCode = first?.errorCode ?? 'UNKNOWN';
    this.errors = details.errors;
  }

  /** The session (access token) expired or was revoked: get a new token and send again. */
  get sessionExpired(): boolean {
    return this.status === 401 || this.errorCode === 'INVALID_SESSION_ID';
  }

  /** The record (or the external-id field) does not exist. */
  get notFound(): boolean {
    return this.status === 404 || this.errorCode === 'NOT_FOUND' || this.errorCode === 'ENTITY_IS_DELETED';
  }
}

/** The org's daily API request allocation is used up (403 `REQUEST_LIMIT_EXCEEDED`); calls resume when it rolls over. */
export class SalesforceRequestLimitError extends SalesforceApiError {
  constructor(
    message: string,
    details: {
      operation: string;
      status?: number;
      errors: readonly SalesforceErrorEntry[];
      retryAfterMs?: number;
    },
  ) {
    super(message, { ...details, kind: 'throttled' });
    this.name = 'SalesforceRequestLimitError';
  }
}

/** The token endpoint refused our credentials (`invalid_grant`, `invalid_client`…): a configuration problem. */
export class SalesforceAuthError extends SalesforceApiError {
  constructor(
    message: string,
    details: { status?: number; errors: readonly SalesforceErrorEntry[]; cause?: unknown },
  ) {
    super(message, { ...details, operation: 'authenticate', kind: 'permanent-config' });
    this.name = 'SalesforceAuthError';
  }
}

/** Reads any Salesforce error body (REST array, OAuth object, collection `statusCode` entries, text). */
export function parseSalesforceErrors(body: unknown, status?: number): SalesforceErrorEntry[] {
  const entries = Array.isArray(body) ? body : body !== null && typeof body === 'object' ? [body] : [];
  const parsed: SalesforceErrorEntry[] = [];
  for (const entry of entries) {
    if (entry === null || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const code = e['errorCode'] ?? e['statusCode'] ?? e['error'];
    const message = e['message'] ?? e['error_description'];
    if (typeof code === 'string' || typeof message === 'string') {
      parsed.push({
        errorCode: typeof code === 'string' ? code : `HTTP_${status ?? 'ERROR'}`,
        message: typeof message === 'string' ? message : '',
        fields: Array.isArray(e['fields'])
          ? (e['fields'] as unknown[]).filter((f): f is string => typeof f === 'string')
          : undefined,
      });
    }
  }
  if (parsed.length === 0) {
    const text = typeof body === 'string' ? body.slice(0, 300) : '';
    parsed.push({ errorCode: `HTTP_${status ?? 'ERROR'}`, message: text });
  }
  return parsed;
}

/** What kind of failure a Salesforce status/error code is: the failure policy's Salesforce table. */
export function classifySalesforceError(
  status: number | undefined,
  errorCode: string,
  message = '',
): ExternalApiErrorKind {
  return classifySalesforceResponse(status, errorCode, message).kind;
}

/** Builds the typed error for a failed REST call; `what` names the work in user terms ("update Opportunity 006…"). */
export function salesforceErrorFromResponse(
  operation: string,
  what: string,
  status: number | undefined,
  body: unknown,
): SalesforceApiError {
  const errors =
    status === 300
      ? [{ errorCode: 'MULTIPLE_CHOICES', message: 'more than one record has this external id value' }]
      : parseSalesforceErrors(body, status);
  const first = errors[0] ?? { errorCode: 'UNKNOWN', message: '' };
  const verdict = classifySalesforceResponse(status, first.errorCode, first.message);
  const kind = verdict.kind;
  const summary = errors.map((e) => `${e.errorCode} ${e.message}`.trim()).join('; ');
  const message = `Salesforce rejected ${what}: ${status === undefined ? '' : `HTTP ${status} `}${summary}`;
  if (first.errorCode === 'REQUEST_LIMIT_EXCEEDED')
    return new SalesforceRequestLimitError(message, {
      operation,
      status,
      errors,
      retryAfterMs: verdict.retryAfterMs,
    });
  return new SalesforceApiError(message, {
    operation,
    kind,
    status,
    errors,
    retryAfterMs: verdict.retryAfterMs,
  });
}
