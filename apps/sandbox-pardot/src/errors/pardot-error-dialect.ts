import type {
  SandboxErrorDialect,
  SandboxLimitKind,
  SandboxRequestInfo,
  SandboxResponse,
} from '@pardot-x3/sandbox-kit';
import { apiFlavourOf, wantsJson } from '../http/pardot-api-version.util.js';
import { legacyFailure } from '../v4/v4-envelope.util.js';
import { PARDOT_ERROR_MESSAGES, type PardotErrorCode } from './pardot-error-codes.constants.js';

/** Renders a Pardot error for a request: v5 `{"code","message"}` or the v4 failure envelope. */
export function renderPardotError(
  request: Pick<SandboxRequestInfo, 'path' | 'query'>,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  body?: unknown,
): SandboxResponse {
  if (apiFlavourOf(request.path) === 'legacy')
    return legacyFailure(status, code, message, wantsJson(request.query, body), headers);
  return { status, headers, body: { code, message } };
}

/** The Pardot code that best names an HTTP status, for injected faults. */
export function codeForStatus(status: number): PardotErrorCode {
  if (status >= 500) return 183;
  switch (status) {
    case 401:
      return 184;
    case 403:
      return 49;
    case 404:
      return 109;
    case 405:
      return 60;
    case 409:
      return 62;
    default:
      return 5;
  }
}

/** How injected faults and exhausted limits look on the Pardot sandbox. */
export function pardotErrorDialect(limitStatus: number): SandboxErrorDialect {
  return {
    renderError: (status, request) => {
      const code = codeForStatus(status);
      return renderPardotError(request, status, code, PARDOT_ERROR_MESSAGES[code], {}, request.body);
    },
    renderLimit: (limit: SandboxLimitKind, request) => {
      const code = limit === 'daily' ? 122 : 66;
      return renderPardotError(request, limitStatus, code, PARDOT_ERROR_MESSAGES[code], {}, request.body);
    },
  };
}
