import type { SandboxErrorDialect } from '@pardot-x3/sandbox-kit';
import { diagnosis } from './x3-http.error.js';
import { X3_CONTENT_TYPE } from './x3-exception.filter.js';

const headers = { 'content-type': X3_CONTENT_TYPE };

/**
 * Injected faults in X3's shape. X3 has no published API call limits: a "daily" limit renders as the
 * web-services licence being exhausted (403), "concurrency" as the SOAP/web-services pool refusing
 * work ("No Web services accepted", 500, apis.md §3.1). Both texts are the sandbox's choice.
 */
export const x3ErrorDialect: SandboxErrorDialect = {
  renderError: (status) => ({
    status,
    headers,
    body: { $diagnoses: [diagnosis(`Server error ${status} (fault injected by the sandbox)`)] },
  }),
  renderLimit: (limit) =>
    limit === 'daily'
      ? {
          status: 403,
          headers,
          body: { $diagnoses: [diagnosis('Web services licence limit reached (WSSIZELIMIT)')] },
        }
      : { status: 500, headers, body: { $diagnoses: [diagnosis('No Web services accepted')] } },
};
