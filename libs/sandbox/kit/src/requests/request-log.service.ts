/** One request as the request log keeps it: never headers, bodies or query strings, so never a secret. */
export interface RequestLogEntry {
  readonly seq: number;
  readonly at: string;
  readonly method: string;
  /** URL path without the query string. */
  readonly path: string;
  /** 0 when the connection was dropped or the client went away first. */
  readonly status: number;
  /** Time from arrival to the end of the response, in milliseconds. */
  readonly ms: number;
  readonly clientId?: string;
  /** Id of the fault rule that decided the outcome or added latency. */
  readonly faultRuleId?: string;
}

export const DEFAULT_REQUEST_LOG_CAPACITY = 1_000;

/** Ring buffer of the most recent requests a sandbox served, newest last. */
export class RequestLog {
  private readonly buffer: (RequestLogEntry | undefined)[];
  private next = 0;
  private seq = 0;

  constructor(readonly capacity = DEFAULT_REQUEST_LOG_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`request log capacity must be a positive integer, got ${capacity}`);
    this.buffer = new Array<RequestLogEntry | undefined>(capacity);
  }

  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const stored = { ...entry, seq: ++this.seq };
    this.buffer[this.next] = stored;
    this.next = (this.next + 1) % this.capacity;
    return stored;
  }

  /** The most recent `limit` requests (all kept by default), oldest first. */
  list(limit = this.capacity): RequestLogEntry[] {
    const ordered = [...this.buffer.slice(this.next), ...this.buffer.slice(0, this.next)].filter(
      (e): e is RequestLogEntry => e !== undefined,
    );
    return ordered.slice(Math.max(0, ordered.length - limit));
  }

  clear(): void {
    this.buffer.fill(undefined);
    this.next = 0;
  }
}
