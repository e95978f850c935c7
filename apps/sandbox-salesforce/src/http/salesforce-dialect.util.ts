import type { SandboxErrorDialect, SandboxRequestInfo, SandboxResponse } from '@pardot-x3/sandbox-kit';
import type { ApiUsage } from '../limits/api-usage.service.js';

const REST_ERRORS: Record<number, { errorCode: string; message: string }> = {
  400: {
    errorCode: 'INVALID_REQUEST',
    message: 'The request could not be understood (injected by the sandbox).',
  },
  401: { errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' },
  403: { errorCode: 'INSUFFICIENT_ACCESS', message: 'insufficient access rights on object id' },
  404: { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
  409: {
    errorCode: 'UNABLE_TO_LOCK_ROW',
    message: 'unable to obtain exclusive access to this record or 1 records',
  },
  500: {
    errorCode: 'UNKNOWN_EXCEPTION',
    message:
      'An unexpected error occurred. Please include this ErrorId if you contact support: 0-0 (injected by the sandbox)',
  },
  502: { errorCode: 'SERVER_UNAVAILABLE', message: 'Bad Gateway (injected by the sandbox)' },
  503: {
    errorCode: 'SERVER_UNAVAILABLE',
    message: 'Server is temporarily unavailable (injected by the sandbox)',
  },
};

/** Injected faults answered the way Salesforce would answer on that route. */
export function salesforceDialect(usage: ApiUsage): SandboxErrorDialect {
  return {
    renderError(status: number, request: SandboxRequestInfo): SandboxResponse {
      if (request.path.startsWith('/services/oauth2')) {
        return {
          status,
          body: {
            error: status >= 500 ? 'server_error' : 'invalid_request',
            error_description: `HTTP ${status} (injected by the sandbox)`,
          },
        };
      }
      if (request.path.startsWith('/cometd')) {
        return {
          status,
          body:
            status >= 500
              ? 'Service Unavailable'
              : [
                  {
                    channel: '/meta/connect',
                    successful: false,
                    error: `${status}::injected by the sandbox`,
                  },
                ],
        };
      }
      const error = REST_ERRORS[status] ?? {
        errorCode: status >= 500 ? 'UNKNOWN_EXCEPTION' : 'INVALID_REQUEST',
        message: `HTTP ${status} (injected by the sandbox)`,
      };
      return { status, headers: { 'Sforce-Limit-Info': usage.header() }, body: [error] };
    },
    renderLimit(limit): SandboxResponse {
      const message =
        limit === 'daily' ? 'TotalRequests Limit exceeded.' : 'ConcurrentPerOrgLongTxn Limit exceeded.';
      return {
        status: 403,
        headers: { 'Sforce-Limit-Info': `api-usage=${usage.limit}/${usage.limit}` },
        body: [{ message, errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
      };
    },
  };
}
