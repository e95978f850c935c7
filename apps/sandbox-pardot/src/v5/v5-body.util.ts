import { PardotApiError } from '../errors/pardot-api.error.js';
import type { PardotRequest } from '../http/pardot-request.types.js';

/**
 * The JSON object body a v5 write needs: content type application/json (else 151), not empty (152),
 * an object (166). Malformed JSON never gets here: the exception filter answers it with 150.
 */
export function jsonObjectBody(req: PardotRequest): Record<string, unknown> {
  const contentType =
    String(req.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase() ?? '';
  const length = Number(req.headers['content-length'] ?? 0);
  const hasBody = length > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody) throw PardotApiError.badRequest(152);
  if (contentType !== 'application/json')
    throw PardotApiError.badRequest(151, 'send the body as application/json');
  const body = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw PardotApiError.badRequest(166, 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

/** A positive integer id from the path (16 "Invalid ID" otherwise). */
export function pathId(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw PardotApiError.badRequest(16, `"${raw}" is not a record id`);
  return Number(raw);
}
