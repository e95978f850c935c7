import type { ServerResponse } from 'node:http';
import type { SandboxResponse } from './sandbox-http.types.js';

/** Writes a SandboxResponse on a raw Node response (used where no framework reply object exists). */
export function sendSandboxResponse(res: ServerResponse, response: SandboxResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  if (response.body === undefined || response.body === null) {
    res.end();
    return;
  }
  if (typeof response.body === 'string') {
    if (!res.hasHeader('content-type')) res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(response.body);
    return;
  }
  if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(response.body));
}
