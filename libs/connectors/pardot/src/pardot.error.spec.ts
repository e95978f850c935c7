import { describe, expect, it } from 'vitest';
import { classifyPardotError, maskEmail, pardotErrorFromResponse, parsePardotError } from './pardot.error.js';

describe('pardotErrorFromResponse', () => {
  it('says what was rejected in user terms, without the full email address', () => {
    const error = pardotErrorFromResponse('upsertProspect', `prospect ${maskEmail('jane@acme.com')}`, 400, {
      code: 4,
      message: 'Invalid prospect email address',
    });
    expect(error.message).toBe('Pardot rejected prospect jane@…: error 4 Invalid prospect email address');
    expect(error.kind).toBe('permanent-data');
    expect(error.pardotCode).toBe(4);
    expect(error.message).not.toContain('acme.com');
  });

  it('throttles on error 66 (a short pause) and on error 122 (until the budget resets)', () => {
    const concurrency = pardotErrorFromResponse('readProspect', 'the read of prospect 1', 400, {
      code: 66,
      message: 'You have exceeded your concurrent request limit.',
    });
    expect(concurrency.kind).toBe('throttled');
    expect(concurrency.retryAfterMs).toBeGreaterThan(0);
    const daily = pardotErrorFromResponse('readProspect', 'the read of prospect 1', 400, {
      code: 122,
      message: 'Daily API rate limit met',
    });
    expect(daily.kind).toBe('throttled');
    expect(daily.dailyLimitMet).toBe(true);
    expect(daily.retryable).toBe(false);
  });

  it('recognises a refused token and configuration problems', () => {
    expect(
      pardotErrorFromResponse('x', 'y', 401, { code: 184, message: 'access_token is invalid' }).tokenRefused,
    ).toBe(true);
    expect(classifyPardotError(400, 46)).toBe('permanent-config');
    expect(classifyPardotError(503, undefined)).toBe('transient');
    expect(classifyPardotError(400, 154)).toBe('permanent-config');
    expect(classifyPardotError(503, 183)).toBe('transient');
  });

  it('reads the v4 JSON failure envelope', () => {
    expect(
      parsePardotError({
        '@attributes': { stat: 'fail', version: 1, err_code: 3 },
        err: 'Invalid prospect ID',
      }),
    ).toEqual({ code: 3, message: 'Invalid prospect ID' });
    expect(parsePardotError({ '@attributes': { stat: 'ok', version: 1 }, prospect: { id: 1 } })).toEqual({});
  });
});
