import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 50 * 1024 * 1024;

interface BodyRequest extends IncomingMessage {
  body?: unknown;
}

const unreadable = new WeakMap<object, string>();

/** Why the request body could not be read (JSON_PARSER_ERROR text), or undefined when it was fine. */
export function bodyErrorOf(request: object): string | undefined {
  return unreadable.get(request);
}

/**
 * Reads JSON and form bodies before NestJS's own parser (which then skips the request). An unreadable
 * body is not answered here: the request goes on with no body and its error noted, so the write still
 * reaches the ledger and the route answers in its own dialect after checking the session
 * (REST: 400 `JSON_PARSER_ERROR`; token endpoint: `invalid_request`).
 */
export function parseRequestBody(
  req: BodyRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
): void {
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD' || method === 'DELETE' || method === 'OPTIONS') {
    next();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES && !failed) {
      failed = true;
      reply(res, 413, [
        { errorCode: 'REQUEST_ENTITY_TOO_LARGE', message: 'Request body exceeds the maximum size' },
      ]);
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('error', (error) => {
    if (!failed) next(error);
    failed = true;
  });
  req.on('end', () => {
    if (failed) return;
    const text = Buffer.concat(chunks).toString('utf8');
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    const isForm = type.startsWith('application/x-www-form-urlencoded');
    if (isForm) {
      req.body = Object.fromEntries(new URLSearchParams(text));
      next();
      return;
    }
    if (text.trim() === '') {
      req.body = undefined;
      next();
      return;
    }
    try {
      req.body = JSON.parse(text) as unknown;
      next();
    } catch (error) {
      req.body = undefined;
      unreadable.set(req, jsonErrorMessage(text, error));
      next();
    }
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json;charset=UTF-8');
  res.end(JSON.stringify(body));
}

/** Jackson-style text, as Salesforce words it: the bad character and its line and column. */
function jsonErrorMessage(text: string, error: unknown): string {
  const m = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  const pos = m?.[1] ? Number(m[1]) : Math.max(0, text.length - 1);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - (before.lastIndexOf('\n') + 1) + 1;
  const c = text.charAt(pos);
  const what = c === '' ? 'end-of-input' : `character ('${c}' (code ${c.charCodeAt(0)}))`;
  return `Unexpected ${what}: expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at [line:${line}, column:${column}]`;
}
