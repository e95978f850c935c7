import { describe, expect, it } from 'vitest';
import { ExternalApiError } from './external-api.error.js';
import { mayHaveBeenApplied, retryTransient } from './retry-policy.js';

const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 };
const failure = (
  kind: 'transient' | 'permanent-data' | 'throttled' | 'permanent-config',
  retryAfterMs?: number,
) => new ExternalApiError(`failed (${kind})`, { system: 'x3', operation: 'test', kind, retryAfterMs });

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

  it.each(['permanent-data', 'permanent-config', 'throttled'] as const)(
    'never retries a %s failure in place (it would only burn API budget; a long throttle waits in the caller)',
    async (kind) => {
      let calls = 0;
      await expect(
        retryTransient(async () => {
          calls++;
          throw failure(kind, kind === 'throttled' ? 60_000 : undefined);
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

  it('waits out a short throttle (Pardot 66 asks for a second) and tries again', async () => {
    let calls = 0;
    const result = await retryTransient(async () => {
      calls++;
      if (calls < 2) throw failure('throttled', 1);
      return 'ok';
    }, fast);
    expect(result).toBe('ok');
    expect(calls).toBe(2);
  });

  describe('a call that is not idempotent (creates something each time it is applied)', () => {
    const unanswered = (code: string, status?: number) =>
      new ExternalApiError(`no answer (${code})`, {
        system: 'pardot',
        operation: 'createExternalActivity',
        kind: 'transient',
        status,
        cause: Object.assign(new Error('socket hang up'), { code }),
      });

    it.each([
      ['a reset connection (the request may have been applied)', unanswered('ECONNRESET')],
      ['a timeout', unanswered('ETIMEDOUT')],
      ['a 504 from a gateway', unanswered('none', 504)],
    ])('is not repeated after %s: the caller must look first', async (_, error) => {
      let calls = 0;
      await expect(
        retryTransient(
          async () => {
            calls++;
            throw error;
          },
          fast,
          { notIdempotent: true },
        ),
      ).rejects.toBe(error);
      expect(calls).toBe(1);
      expect(mayHaveBeenApplied(error)).toBe(true);
    });

    it.each([
      ['a refused connection (never sent)', unanswered('ECONNREFUSED')],
      ['a 503 answer', unanswered('none', 503)],
    ])('is repeated after %s: nothing was applied', async (_, error) => {
      let calls = 0;
      const result = await retryTransient(
        async () => {
          calls++;
          if (calls < 2) throw error;
          return 'ok';
        },
        fast,
        { notIdempotent: true },
      );
      expect(result).toBe('ok');
      expect(calls).toBe(2);
      expect(mayHaveBeenApplied(error)).toBe(false);
    });
  });
});
