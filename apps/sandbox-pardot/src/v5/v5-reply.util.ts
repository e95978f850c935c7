import { sendSandboxResponse } from '@pardot-x3/sandbox-kit';
import { PardotApiError } from '../errors/pardot-api.error.js';
import type { PardotResponse } from '../http/pardot-request.types.js';
import { parseFields } from './v5-query.util.js';

/** The optional `fields` of a v5 write: the fields to return (undefined → answer 204 No Content). */
export function optionalFields(
  query: Readonly<Record<string, unknown>>,
  isSelectable: (f: string) => boolean,
): string[] | undefined {
  const unknown = Object.keys(query).filter((k) => k !== 'fields');
  if (unknown.length > 0)
    throw PardotApiError.badRequest(5, `"${unknown.join('", "')}" is not a parameter of this request`);
  return query['fields'] === undefined ? undefined : parseFields(query['fields'], isSelectable);
}

/** Answers a v5 write: the requested fields with `status`, or 204 when no fields were asked for. */
export function replyWithFields(
  res: PardotResponse,
  status: number,
  fields: readonly string[] | undefined,
  render: (fields: readonly string[]) => Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  if (fields === undefined) sendSandboxResponse(res, { status: 204, headers });
  else sendSandboxResponse(res, { status, headers, body: render(fields) });
}

export function replyJson(
  res: PardotResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendSandboxResponse(res, { status, headers, body });
}

/** A documented Pardot operation the sandbox does not offer: said plainly, with 501. */
export function notImplemented(what: string): PardotApiError {
  return new PardotApiError(
    2,
    501,
    `${what} is not implemented by the pardot-x3 sandbox (see docs/sandboxes/pardot.md)`,
  );
}

export function methodNotAllowed(): PardotApiError {
  return new PardotApiError(60, 405);
}
