import type { SandboxSystem } from '../sandbox.types.js';

/** What a fault rule did to one request. */
export interface AppliedFault {
  readonly ruleId: string;
  /** Every rule whose latency was added. */
  readonly latencyRuleIds?: readonly string[];
  readonly latencyMs?: number;
  /**
   * What answered instead of the route, when a rule decided the outcome; `drop-response`: the route
   * served the request (its effect happened), then the connection was cut before the answer.
   */
  readonly outcome?: 'error' | 'drop' | 'drop-response' | 'limit';
  readonly status?: number;
  readonly limit?: 'daily' | 'concurrency';
}

/** One write received by a sandbox (or any request a fault touched). */
export interface LedgerEntry {
  /** Increasing from 1; `list({ since })` returns entries after a seq. */
  readonly seq: number;
  /** When the request arrived (ISO 8601). */
  readonly at: string;
  readonly system: SandboxSystem;
  readonly method: string;
  /** URL path without the query string. */
  readonly path: string;
  /** The route that served it, "METHOD /pattern" (e.g. "PATCH /api/v5/objects/prospects/:id"), else "METHOD /path". */
  readonly route: string;
  /** HTTP status sent; 0 when the connection was dropped or the client went away first. */
  readonly status: number;
  /** Parsed body (JSON or form fields) with secret-looking fields replaced by "[redacted]". */
  readonly requestBody: unknown;
  /** Query parameters, secrets redacted; absent when there were none. */
  readonly query?: Readonly<Record<string, unknown>>;
  /** The start of the response body (up to 1,000 characters). */
  readonly responseSummary?: string;
  /** Who wrote: the OAuth client id, the API user or the Basic-auth user, as the system identifies it. */
  readonly clientId?: string;
  readonly fault?: AppliedFault;
}

export type LedgerEntryInput = Omit<LedgerEntry, 'seq' | 'system' | 'at'> & { readonly at?: string };

export interface LedgerQuery {
  /** Only entries with a seq greater than this. */
  readonly since?: number;
  /** Glob over "METHOD /path" or the route pattern, as in fault rules (e.g. "PATCH /api/v5/*"). */
  readonly route?: string;
  readonly method?: string;
  /** At most this many entries (the oldest matching ones first). */
  readonly limit?: number;
}
