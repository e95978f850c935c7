import { setTimeout as sleep } from 'node:timers/promises';
import {
  backoffDelayMs,
  classifyFailure,
  requestNeverSent,
  type RetryPolicy,
} from '@pardot-x3/failure-policy';
import { ExternalApiError } from './external-api.error.js';

/** A throttle that asks for at most this wait (Pardot's 66: a second) is waited out in place. */
const SHORT_THROTTLE_MS = 10_000;

export interface RetryHooks {
  /** Called before each back-off, e.g. to log; never throws. */
  readonly onRetry?: (error: ExternalApiError, attempt: number, delayMs: number) => void;
  readonly signal?: AbortSignal;
  /**
   * The call creates something each time it is applied and has no idempotency key (Pardot's external
   * activities): an attempt that may have reached the target without its answer coming back (a reset
   * connection, a timeout, a 504) is not repeated — it is thrown for the caller, who knows how to check.
   */
  readonly notIdempotent?: boolean;
}

/**
 * Runs `call` and tries it again after a jittered back-off while it fails with a *transient*
 * `ExternalApiError`, or a *throttled* one that asks for a short wait (≤ 10 s: Pardot's 66). Every other error (permanent, long throttles such as a spent daily budget, programming errors)
 * is thrown at once, for the caller's failure policy: retrying a bad request only burns API budget.
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
      if (!(error instanceof ExternalApiError) || attempt >= policy.maxAttempts) throw error;
      const verdict = classifyFailure(error);
      const shortThrottle =
        verdict.kind === 'throttled' && (verdict.retryAfterMs ?? Infinity) <= SHORT_THROTTLE_MS;
      if (verdict.kind !== 'transient' && !shortThrottle) throw error;
      if (hooks.notIdempotent && mayHaveBeenApplied(error)) throw error;
      const delayMs = backoffDelayMs(attempt, policy, error.retryAfterMs);
      hooks.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, undefined, { signal: hooks.signal });
    }
  }
}

/** Whether a failed attempt may have been applied by the target: no answer (unless it never left), or a 504. */
export function mayHaveBeenApplied(error: ExternalApiError): boolean {
  if (error.status === undefined) return !requestNeverSent(error);
  return error.status === 504;
}
