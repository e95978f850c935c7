import type { IncomingMessage, ServerResponse } from 'node:http';

/** Who called, once the auth guard let the request in. */
export interface PardotCaller {
  readonly clientId: string;
  readonly userId: string;
  readonly businessUnitId: string;
}

/** The Express request as the Pardot routes use it. */
export interface PardotRequest extends IncomingMessage {
  path: string;
  query: Record<string, unknown>;
  body?: unknown;
  pardotCaller?: PardotCaller;
}

/** The Express response as the Pardot routes use it. */
export interface PardotResponse extends ServerResponse {
  status(code: number): this;
}

/** Base URL the client used to reach the sandbox (for Location and nextPageUrl). */
export function baseUrlOf(req: IncomingMessage): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}
