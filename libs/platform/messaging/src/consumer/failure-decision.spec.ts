import { classified } from '@pardot-x3/failure-policy';
import { describe, expect, it } from 'vitest';
import { decideOnFailure, type FailureDecisionInput } from './failure-decision.js';

const base: Omit<FailureDecisionInput, 'verdict'> = {
  triesInPlace: 0,
  inPlaceDelaysMs: [200, 1_000],
  level: 0,
  retryLevels: 2,
  throttledForMs: 0,
  throttleDeadlineMs: 60 * 60_000,
};

describe('decideOnFailure', () => {
  it('dead-letters permanent failures at once', () => {
    expect(decideOnFailure({ ...base, verdict: classified('permanent-data', 'PostgreSQL 22021') })).toEqual({
      action: 'dead-letter',
      reason: 'NON_RETRIABLE_ERROR',
    });
    expect(decideOnFailure({ ...base, verdict: classified('permanent-config', 'Pardot error 1') })).toEqual({
      action: 'dead-letter',
      reason: 'NON_RETRIABLE_ERROR',
    });
    expect(
      decideOnFailure({
        ...base,
        verdict: classified('permanent-data', 'InvalidMessageError'),
        invalidInput: true,
      }),
    ).toEqual({ action: 'dead-letter', reason: 'INVALID_MESSAGE' });
  });

  it('retries transient failures in place, then through each retry topic, then dead-letters', () => {
    const verdict = classified('transient', 'Kafka client error');
    expect(decideOnFailure({ ...base, verdict })).toEqual({ action: 'retry-in-place', delayMs: 200 });
    expect(decideOnFailure({ ...base, verdict, triesInPlace: 1 })).toEqual({
      action: 'retry-in-place',
      delayMs: 1_000,
    });
    expect(decideOnFailure({ ...base, verdict, triesInPlace: 2 })).toEqual({
      action: 'retry-later',
      level: 1,
    });
    expect(decideOnFailure({ ...base, verdict, triesInPlace: 2, level: 1 })).toEqual({
      action: 'retry-later',
      level: 2,
    });
    expect(decideOnFailure({ ...base, verdict, triesInPlace: 2, level: 2 })).toEqual({
      action: 'dead-letter',
      reason: 'RETRIES_EXHAUSTED',
    });
  });

  it('pauses throttled messages without using an attempt, within bounds, until their deadline', () => {
    expect(decideOnFailure({ ...base, verdict: classified('throttled', 'Pardot 66', 1_000) })).toEqual({
      action: 'pause',
      pauseMs: 1_000,
    });
    expect(
      decideOnFailure({ ...base, verdict: classified('throttled', 'Pardot 122', 6 * 3_600_000) }),
    ).toEqual({
      action: 'pause',
      pauseMs: 60_000,
    });
    expect(decideOnFailure({ ...base, verdict: classified('throttled', 'no wait named') })).toEqual({
      action: 'pause',
      pauseMs: 500,
    });
    expect(
      decideOnFailure({
        ...base,
        verdict: classified('throttled', 'x', 10_000),
        throttledForMs: base.throttleDeadlineMs,
      }),
    ).toEqual({ action: 'retry-in-place', delayMs: 200 });
  });
});
