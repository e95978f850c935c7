import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 50 * 1024 * 1024;

interface BodyRequest extends IncomingMessage {
  body?: unknown;
}

/**
 * Reads JSON and form bodies before routing (NestJS's own parser is off) so that an unreadable body
 * gets Salesforce's answer: 400 `[{"errorCode":"JSON_PARSER_ERROR",…}]` on the REST API,
 * `{"error":"invalid_request"}` on the token endpoint.
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
      const path = req.url ?? '';
      if (path.startsWith('/services/oauth2')) {
        reply(res, 400, {
          error: 'invalid_request',
          error_description: 'the request body could not be read',
        });
        return;
      }
      reply(res, 400, [{ errorCode: 'JSON_PARSER_ERROR', message: jsonErrorMessage(text, error) }]);
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
