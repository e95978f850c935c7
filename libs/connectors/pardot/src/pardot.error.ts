import { ExternalApiError, type ExternalApiErrorKind } from '@pardot-x3/connector-kit';
import { classifyPardotResponse } from '@pardot-x3/failure-policy';

/** Pardot error codes (shared by v3, v4 and v5) the connector acts on. */
export const PARDOT_ERROR = {
  INVALID_API_KEY: 1,
  INVALID_PROSPECT_ID: 3,
  INVALID_EMAIL: 4,
  INVALID_QUERY_PARAMETERS: 5,
  PROSPECT_EMAIL_EXISTS: 9,
  REQUIRED_PARAMETERS_MISSING: 13,
  INSUFFICIENT_PERMISSIONS: 46,
  ACCESS_DENIED: 49,
  CONCURRENT_REQUEST_LIMIT: 66,
  API_ACCESS_DISABLED: 76,
  RECORD_NOT_FOUND: 109,
  DAILY_LIMIT_MET: 122,
  INVALID_AUTHENTICATION_MECHANISM: 126,
  INVALID_PROPERTY: 154,
  PLEASE_TRY_AGAIN: 183,
  INVALID_ACCESS_TOKEN: 184,
} as const;

/** A call to Pardot failed; `pardotCode` is Pardot's numeric error code when it gave one. */
export class PardotApiError extends ExternalApiError {
  readonly pardotCode?: number;

  constructor(
    message: string,
    details: {
      operation: string;
      kind: ExternalApiErrorKind;
      status?: number;
      pardotCode?: number;
      rawMessage?: string;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    super(message, {
      system: 'pardot',
      operation: details.operation,
      kind: details.kind,
      status: details.status,
      code: details.pardotCode === undefined ? undefined : String(details.pardotCode),
      rawMessage: details.rawMessage,
      retryAfterMs: details.retryAfterMs,
      cause: details.cause,
    });
    this.name = 'PardotApiError';
    this.pardotCode = details.pardotCode;
  }

  /** Error 122 (or our own budget): the daily call limit of the business unit is met. */
  get dailyLimitMet(): boolean {
    return this.pardotCode === PARDOT_ERROR.DAILY_LIMIT_MET;
  }

  /** The access token was refused (HTTP 401, error 184): get a new one and send again. */
  get tokenRefused(): boolean {
    return this.status === 401 || this.pardotCode === PARDOT_ERROR.INVALID_ACCESS_TOKEN;
  }
}

/** Reads a v5 error body `{"code":66,"message":"…"}` or a v4 JSON envelope `{"@attributes":{"stat":"fail","err_code":3},"err":"…"}`. */
export function parsePardotError(body: unknown): { code?: number; message?: string } {
  if (body === null || typeof body !== 'object')
    return typeof body === 'string' && body ? { message: body.slice(0, 300) } : {};
  const b = body as Record<string, unknown>;
  if (typeof b['code'] === 'number' || typeof b['code'] === 'string') {
    const code = Number(b['code']);
    return {
      code: Number.isFinite(code) ? code : undefined,
      message: typeof b['message'] === 'string' ? b['message'] : undefined,
    };
  }
  const attributes = b['@attributes'] as Record<string, unknown> | undefined;
  if (attributes && attributes['stat'] === 'fail') {
    const code = Number(attributes['err_code']);
    return {
      code: Number.isFinite(code) ? code : undefined,
      message: typeof b['err'] === 'string' ? b['err'] : undefined,
    };
  }
  return {};
}

/** What kind of failure a Pardot answer is: the failure policy's Pardot table (`classifyPardotResponse`). */
export function classifyPardotError(
  status: number | undefined,
  code: number | undefined,
): ExternalApiErrorKind {
  return classifyPardotResponse(status, code).kind;
}

/** Shows whose record it was without writing a full email address into logs: `jane@acme.com` → `jane@…`. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return at < 0 ? email : `${email.slice(0, at + 1)}…`;
}

/** The typed error for a failed Pardot call; `what` names the work in user terms ("prospect jane@…"). */
export function pardotErrorFromResponse(
  operation: string,
  what: string,
  status: number,
  body: unknown,
): PardotApiError {
  const { code, message } = parsePardotError(body);
  const verdict = classifyPardotResponse(status, code);
  const detail =
    code === undefined
      ? `HTTP ${status}${message ? ` ${message}` : ''}`
      : `error ${code} ${message ?? ''}`.trim();
  return new PardotApiError(`Pardot rejected ${what}: ${detail}`, {
    operation,
    kind: verdict.kind,
    status,
    pardotCode: code,
    rawMessage: message,
    retryAfterMs: verdict.retryAfterMs,
  });
}
