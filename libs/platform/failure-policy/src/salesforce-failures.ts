import { classified, type FailureClassification } from './failure-kind.js';
import { isTransientHttpStatus } from './http-status.js';

/** errorCode values that pass when tried again (apis.md §1.9): locks, timeouts, maintenance, rollbacks. */
const SALESFORCE_TRANSIENT_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'UNKNOWN_EXCEPTION',
  'QUERY_TIMEOUT',
  'REQUEST_RUNNING_TOO_LONG',
  'API_CURRENTLY_DISABLED_TEMPORARILY',
  'INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE',
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
]);

/** errorCode values that need an admin: the integration user's rights, the org's setup, the mapping's field names. */
const SALESFORCE_CONFIG_CODES = new Set([
  'INVALID_SESSION_ID',
  'INVALID_FIELD',
  'INVALID_TYPE',
  'MALFORMED_QUERY',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'API_DISABLED_FOR_ORG',
  'API_CURRENTLY_DISABLED',
  'invalid_grant',
  'invalid_client',
  'invalid_client_id',
  'invalid_request',
  'unsupported_grant_type',
]);

/** A wait for "ConcurrentPerOrgLongTxn Limit exceeded": seconds. */
const CONCURRENT_LONG_TXN_PAUSE_MS = 5_000;
/** A wait for a spent daily allocation when the caller cannot tell when it rolls over. */
const DAILY_ALLOCATION_PAUSE_MS = 5 * 60_000;

/**
 * A Salesforce error: HTTP status (undefined inside sObject Collections results), errorCode (statusCode
 * in collections) and message. REQUEST_LIMIT_EXCEEDED is a limit (throttled), never a reason to drop
 * the work; a trigger failing on a row lock (CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY with UNABLE_TO_LOCK_ROW
 * inside) is transient like the lock itself.
 */
export function classifySalesforceResponse(
  status: number | undefined,
  errorCode: string,
  message = '',
): FailureClassification {
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') {
    const concurrent = /ConcurrentPerOrgLongTxn/i.test(message);
    return classified(
      'throttled',
      concurrent
        ? 'Salesforce REQUEST_LIMIT_EXCEEDED: too many concurrent long requests'
        : "Salesforce REQUEST_LIMIT_EXCEEDED: the org's API allocation is spent",
      concurrent ? CONCURRENT_LONG_TXN_PAUSE_MS : DAILY_ALLOCATION_PAUSE_MS,
    );
  }
  if (SALESFORCE_TRANSIENT_CODES.has(errorCode)) return classified('transient', `Salesforce ${errorCode}`);
  if (errorCode === 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY' && /UNABLE_TO_LOCK_ROW/.test(message))
    return classified(
      'transient',
      'Salesforce CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY caused by UNABLE_TO_LOCK_ROW',
    );
  if (status === 401 || SALESFORCE_CONFIG_CODES.has(errorCode) || errorCode.startsWith('TXN_SECURITY_'))
    return classified(
      'permanent-config',
      `Salesforce ${errorCode}: the integration user's rights or the org's setup`,
    );
  if (status !== undefined && isTransientHttpStatus(status))
    return classified('transient', `Salesforce HTTP ${status} ${errorCode}`.trim());
  return classified('permanent-data', `Salesforce ${errorCode}: the record was refused`);
}
