/** Node/undici/axios network failure codes that mean "the request may not have reached the server". */
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_CANCELED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Codes that say the request never reached the server: no connection was made. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** How deep a chain of `cause`s is followed. */
const MAX_CAUSE_DEPTH = 6;

/** The network error code of an error or of one of its causes, if any. */
export function networkErrorCode(error: unknown): string | undefined {
  for (const current of causeChain(error)) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return code;
    const name = (current as { name?: unknown }).name;
    if (name === 'AbortError' || name === 'TimeoutError') return 'ETIMEDOUT';
  }
  return undefined;
}

/**
 * Whether a failed call certainly never reached the server (refused, unresolvable, unreachable): only then
 * may a call that is not idempotent be sent again without asking the server what it applied.
 */
export function requestNeverSent(error: unknown): boolean {
  for (const current of causeChain(error)) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
  }
  return false;
}

/** The error and its causes (`cause`, and the `originalError`/`driverError` some libraries use), outermost first. */
export function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  let current: unknown = error;
  while (current !== null && typeof current === 'object' && chain.length < MAX_CAUSE_DEPTH) {
    if (chain.includes(current)) break;
    chain.push(current);
    const next = current as { cause?: unknown; originalError?: unknown; driverError?: unknown };
    current = next.cause ?? next.originalError ?? next.driverError;
  }
  return chain;
}
