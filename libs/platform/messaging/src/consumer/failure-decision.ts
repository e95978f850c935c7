import type { DeadLetterReason } from '@pardot-x3/canonical';
import { isPermanent, type FailureClassification } from '@pardot-x3/failure-policy';

/** What the runner does with a message whose handling failed. */
export type FailureDecision =
  /** Try the same message again in place after `delayMs` (the partition waits; order kept). */
  | { readonly action: 'retry-in-place'; readonly delayMs: number }
  /** A limit said "not now": pause the partition, deliver the same message later, no attempt used. */
  | { readonly action: 'pause'; readonly pauseMs: number }
  /** Park a copy on `<group>.retry.<level>`; it comes back after that level's delay. */
  | { readonly action: 'retry-later'; readonly level: number }
  /** Park it on `<group>.dlq` with the reason: re-drivable after a fix. */
  | { readonly action: 'dead-letter'; readonly reason: DeadLetterReason };

export interface FailureDecisionInput {
  readonly verdict: FailureClassification;
  /** The message itself is invalid (undecodable, or refused by validation): its dead letter says so. */
  readonly invalidInput?: boolean;
  /** Attempts already made in place for this delivery (0 after the first failure). */
  readonly triesInPlace: number;
  /** Pauses between attempts in place. */
  readonly inPlaceDelaysMs: readonly number[];
  /** Retry level of the copy being handled (0 = the topic itself). */
  readonly level: number;
  /** How many retry topics the group has. */
  readonly retryLevels: number;
  /** How long this message has been throttled already (0 the first time). */
  readonly throttledForMs: number;
  /** How long a throttled message may wait in total before it takes the retry path. */
  readonly throttleDeadlineMs: number;
}

/** The shortest and longest pause for a throttled message (a limit that names no wait gets the shortest). */
export const THROTTLE_PAUSE_BOUNDS_MS = { min: 500, max: 60_000 } as const;

/**
 * The consumer's retry and dead-letter policy, on the failure policy's verdict:
 * - permanent (data or configuration) → dead letter at once (INVALID_MESSAGE for invalid input);
 * - throttled → pause the partition and try the same message again, without using an attempt, until
 *   the message's throttle deadline; past it, it is handled like a transient failure;
 * - transient → a few attempts in place, then each retry topic in turn, then dead letter (RETRIES_EXHAUSTED).
 */
export function decideOnFailure(input: FailureDecisionInput): FailureDecision {
  const { verdict } = input;
  if (isPermanent(verdict))
    return {
      action: 'dead-letter',
      reason: input.invalidInput ? 'INVALID_MESSAGE' : 'NON_RETRIABLE_ERROR',
    };
  if (verdict.kind === 'throttled' && input.throttledForMs < input.throttleDeadlineMs) {
    const wanted = verdict.retryAfterMs ?? THROTTLE_PAUSE_BOUNDS_MS.min;
    const left = input.throttleDeadlineMs - input.throttledForMs;
    return {
      action: 'pause',
      pauseMs: Math.min(
        left,
        Math.max(THROTTLE_PAUSE_BOUNDS_MS.min, Math.min(THROTTLE_PAUSE_BOUNDS_MS.max, wanted)),
      ),
    };
  }
  const delay = input.inPlaceDelaysMs[input.triesInPlace];
  if (delay !== undefined) return { action: 'retry-in-place', delayMs: delay };
  const next = input.level + 1;
  if (next <= input.retryLevels) return { action: 'retry-later', level: next };
  return { action: 'dead-letter', reason: 'RETRIES_EXHAUSTED' };
}
