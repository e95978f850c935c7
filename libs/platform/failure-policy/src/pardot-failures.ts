import { classified, type FailureClassification } from './failure-kind.js';
import { isTransientHttpStatus } from './http-status.js';

/** Pardot error codes (shared by v3, v4 and v5; apis.md §2.4) that decide a failure's kind. */
export const PARDOT_CODES = {
  CONFLICTING_UPDATE: 62,
  CONCURRENT_REQUEST_LIMIT: 66,
  DAILY_LIMIT_MET: 122,
  PLEASE_TRY_AGAIN: 183,
  INVALID_ACCESS_TOKEN: 184,
} as const;

/** Codes about the credentials, the API user's rights or the account's API setup. */
const PARDOT_CONFIG_CODES = new Set([1, 46, 49, 76, 88, 89, 126, 154, 184]);

/** Error 66 asks to wait before trying again; one second is the smallest sensible pause. */
const CONCURRENCY_PAUSE_MS = 1_000;

/**
 * A Pardot answer that is an error: HTTP status and Pardot's numeric code (when the body had one).
 * A 5xx is transient with or without a code (183 "please try again" comes with one); 66 and 122 are
 * limits (throttled); 401 and the auth/setup codes need an operator; the rest is about the record.
 */
export function classifyPardotResponse(
  status: number | undefined,
  code: number | undefined,
): FailureClassification {
  if (code === PARDOT_CODES.CONCURRENT_REQUEST_LIMIT)
    return classified('throttled', 'Pardot error 66: concurrent request limit', CONCURRENCY_PAUSE_MS);
  if (code === PARDOT_CODES.DAILY_LIMIT_MET)
    return classified(
      'throttled',
      'Pardot error 122: daily API limit met (resets at the start of the next day)',
    );
  if (status === 401 || (code !== undefined && PARDOT_CONFIG_CODES.has(code)))
    return classified(
      'permanent-config',
      `Pardot ${code === undefined ? `HTTP ${status}` : `error ${code}`}: credentials, rights or setup`,
    );
  if (code === PARDOT_CODES.PLEASE_TRY_AGAIN)
    return classified(
      'transient',
      `Pardot error 183 (please try again)${status ? ` with HTTP ${status}` : ''}`,
    );
  if (code === PARDOT_CODES.CONFLICTING_UPDATE)
    return classified('transient', 'Pardot error 62: conflicting update');
  if (status !== undefined && isTransientHttpStatus(status))
    return classified('transient', `Pardot HTTP ${status}${code === undefined ? '' : ` (error ${code})`}`);
  if (status === undefined) return classified('transient', 'no answer from Pardot');
  return classified(
    'permanent-data',
    `Pardot ${code === undefined ? `HTTP ${status}` : `error ${code}`}: the request was refused`,
  );
}
