import type { WriteContext } from '../sobjects/record-change.types.js';

/** What the REST gate learned about a request: version, user, calling client, write context. */
export interface RestCall {
  /** "60.0" */
  readonly apiVersion: string;
  readonly userId: string;
  /** From `Sforce-Call-Options: client=<id>`. */
  readonly callClientId?: string;
  readonly context: WriteContext;
}

const calls = new WeakMap<object, RestCall>();

export function attachRestCall(request: object, call: RestCall): void {
  calls.set(request, call);
}

export function restCallOf(request: object): RestCall {
  const call = calls.get(request);
  if (!call) throw new Error('REST route served without the REST gate (RestApiInterceptor)');
  return call;
}

export const FIRST_API_VERSION = 46;
export const LATEST_API_VERSION = 67;

/** "v60.0" → "60.0" when the sandbox serves that version. */
export function parseApiVersion(segment: string | undefined): string | undefined {
  const m = /^v(\d{2})\.0$/.exec(segment ?? '');
  const major = m?.[1] ? Number(m[1]) : Number.NaN;
  return major >= FIRST_API_VERSION && major <= LATEST_API_VERSION ? `${major}.0` : undefined;
}

/** `client=<id>` from `Sforce-Call-Options` (comma-separated name=value pairs). */
export function callOptionsClient(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return undefined;
  for (const part of text.split(',')) {
    const [name, ...rest] = part.split('=');
    if (name?.trim().toLowerCase() === 'client') {
      const value = rest.join('=').trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}

/** The bearer token from `Authorization: Bearer …` or `Authorization: OAuth …`. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(text ?? '');
  return m?.[1];
}
