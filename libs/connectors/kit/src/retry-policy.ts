import { setTimeout as sleep } from 'node:timers/promises';
import { ExternalApiError } from './external-api.error.js';

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
  policy: RetryPolicy,
  retryAfterMs = 0,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(retryAfterMs, Math.round(random() * ceiling));
}

export interface RetryHooks {
  /** Called before each back-off, e.g. to log; never throws. */
  readonly onRetry?: (error: ExternalApiError, attempt: number, delayMs: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * Runs `call` and tries it again after a jittered back-off while it fails with a *transient*
 * `ExternalApiError`. Every other error (permanent, auth, limit, programming errors) is thrown at once:
 * retrying a bad request only burns API budget.
 */
export async function retryTransient<T>(
  call: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      if (!(error instanceof ExternalApiError) || !error.retryable || attempt >= policy.maxAttempts)
        throw error;
      const delayMs = backoffDelayMs(attempt, policy, error.retryAfterMs);
      hooks.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, undefined, { signal: hooks.signal });
    }
  }
}
