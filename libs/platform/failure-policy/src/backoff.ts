/** How often and how patiently a transient failure is tried again. */
export interface RetryPolicy {
  /** Attempts in total, the first one included (1 = no retry). */
  readonly maxAttempts: number;
  /** Upper bound of the first back-off; doubles with each attempt ("full jitter"). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 10_000 };

/**
 * Back-off before attempt `attempt + 1` (attempt counts from 1): a uniformly random delay between 0
 * and min(max, base · 2^(attempt-1)) — AWS's "full jitter", so that many clients failing together do
 * not retry together. A delay the server asked for (`retryAfterMs`) is a floor.
 */
export function backoffDelayMs(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  retryAfterMs = 0,
  random: () => number = Math.random,
): number {
  return Math.max(retryAfterMs, Math.round(random() * backoffCeilingMs(attempt, policy)));
}

/** The largest back-off before attempt `attempt + 1`: base · 2^(attempt-1), capped. */
export function backoffCeilingMs(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}
