import { describe, expect, it } from 'vitest';
import { ExternalApiError } from './external-api.error.js';
import { backoffDelayMs, retryTransient } from './retry-policy.js';

const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 };
const failure = (kind: 'transient' | 'permanent' | 'limit' | 'auth') =>
  new ExternalApiError(`failed (${kind})`, { system: 'x3', operation: 'test', kind });

describe('retryTransient', () => {
  it('tries a transient failure again until it succeeds', async () => {
    let calls = 0;
    const result = await retryTransient(async () => {
      calls++;
      if (calls < 3) throw failure('transient');
      return 'ok';
    }, fast);
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it.each(['permanent', 'limit', 'auth'] as const)(
    'never retries a %s failure (it would only burn API budget)',
    async (kind) => {
      let calls = 0;
      await expect(
        retryTransient(async () => {
          calls++;
          throw failure(kind);
        }, fast),
      ).rejects.toThrow(`failed (${kind})`);
      expect(calls).toBe(1);
    },
  );

  it('gives up after maxAttempts and throws the last error', async () => {
    let calls = 0;
    await expect(
      retryTransient(async () => {
        calls++;
        throw failure('transient');
      }, fast),
    ).rejects.toBeInstanceOf(ExternalApiError);
    expect(calls).toBe(4);
  });

  it('does not retry errors that are not ExternalApiError (programming errors)', async () => {
    let calls = 0;
    await expect(
      retryTransient(async () => {
        calls++;
        throw new TypeError('bug');
      }, fast),
    ).rejects.toThrow('bug');
    expect(calls).toBe(1);
  });
});

describe('backoffDelayMs', () => {
  const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 };

  it('draws the delay uniformly below an exponentially growing, capped ceiling (full jitter)', () => {
    expect(backoffDelayMs(1, policy, 0, () => 0.999)).toBe(100);
    expect(backoffDelayMs(3, policy, 0, () => 0.999)).toBe(400);
    expect(backoffDelayMs(9, policy, 0, () => 0.999)).toBe(999);
    expect(backoffDelayMs(3, policy, 0, () => 0)).toBe(0);
  });

  it('waits at least as long as the server asked', () => {
    expect(backoffDelayMs(1, policy, 5_000, () => 0.5)).toBe(5_000);
  });
});
