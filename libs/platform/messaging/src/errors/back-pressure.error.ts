/**
 * Thrown by a handler whose downstream cannot take more right now (an API's daily budget or concurrency
 * limit, a 429): the runner pauses the partition for `retryAfterMs` and delivers the same message again
 * afterwards, without counting an attempt and without retry topics, so order is kept.
 */
export class BackPressureError extends Error {
  /** The failure policy's verdict: a limit, not a fault (see @pardot-x3/failure-policy). */
  readonly failureKind = 'throttled';
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackPressureError';
    this.retryAfterMs = Math.max(0, retryAfterMs);
  }
}
