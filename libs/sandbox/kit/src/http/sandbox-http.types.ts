import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxLimitKind } from '../sandbox.types.js';

/**
 * The parts of an incoming request the kit's hooks see (framework-neutral). `identifyClient`,
 * `isWrite` and `admit` run before the body is parsed and see no body; the error dialect renders
 * injected faults after parsing and gets it.
 */
export interface SandboxRequestInfo {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** URL path without the query string. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly query: Readonly<Record<string, unknown>>;
  /** The parsed body (JSON or form), only when rendering an injected fault. */
  readonly body?: unknown;
}

/** A complete answer: a string body is sent as it is, anything else as JSON. */
export interface SandboxResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** How a system renders errors in its own wire format, for injected faults. */
export interface SandboxErrorDialect {
  /** An error with this HTTP status, as the real system would send it for this request. */
  renderError(status: number, request: SandboxRequestInfo): SandboxResponse;
  /** The answer the real system sends when this limit is exhausted (e.g. Salesforce 403 REQUEST_LIMIT_EXCEEDED). */
  renderLimit(limit: SandboxLimitKind, request: SandboxRequestInfo): SandboxResponse;
}

/**
 * Whether a system lets a request in (e.g. Pardot's 5 concurrent requests per business unit). Checked
 * before faults, so an injected latency keeps the request's slot; `release` runs once when the
 * response ends or the connection closes.
 */
export type SandboxAdmission =
  | { readonly admitted: true; readonly release?: () => void }
  | { readonly admitted: false; readonly response: SandboxResponse };
