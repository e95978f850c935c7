import {
  verifySandboxAccessToken,
  type SandboxAdmission,
  type SandboxRequestInfo,
} from '@pardot-x3/sandbox-kit';
import { BUSINESS_UNIT_HEADER } from './auth/pardot-auth.guard.js';
import { PARDOT_ERROR_MESSAGES } from './errors/pardot-error-codes.constants.js';
import { renderPardotError } from './errors/pardot-error-dialect.js';
import { apiFlavourOf, legacyOperationOf } from './http/pardot-api-version.util.js';
import type { PardotApiUsage } from './limits/pardot-api-usage.service.js';

/** The OAuth client id inside the bearer token (also of an expired one), for the ledger. */
export function pardotClientId(request: SandboxRequestInfo, secret: string): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) return undefined;
  const verification = verifySandboxAccessToken(match[1], secret);
  return verification.claims?.clientId;
}

/** v3/v4 operations other than read and query change data whatever the HTTP method (GET included). */
export function isPardotWrite(request: SandboxRequestInfo): boolean {
  if (apiFlavourOf(request.path) === 'legacy') {
    const operation = legacyOperationOf(request.path) ?? '';
    return operation !== 'read' && operation !== 'query';
  }
  return request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS';
}

/** At most PARDOT_CONCURRENT_LIMIT requests in flight per business unit; the next one gets error 66. */
export function admitPardotRequest(
  request: SandboxRequestInfo,
  usage: PardotApiUsage,
  limitStatus: number,
): SandboxAdmission {
  const businessUnit = request.headers[BUSINESS_UNIT_HEADER];
  if (typeof businessUnit !== 'string' || businessUnit === '' || !request.path.startsWith('/api/'))
    return { admitted: true };
  const slot = usage.enter(businessUnit);
  if (slot.admitted) return { admitted: true, release: slot.release };
  return {
    admitted: false,
    response: renderPardotError(request, limitStatus, 66, PARDOT_ERROR_MESSAGES[66]),
  };
}
