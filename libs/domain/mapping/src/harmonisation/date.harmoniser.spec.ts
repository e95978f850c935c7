import { describe, expect, it } from 'vitest';
import { harmoniseDate, harmoniseDateTime, harmoniseTimestamp } from './date.harmoniser.js';

describe('harmoniseDate', () => {
  it.each([
    ['2026-03-05', {}, '2026-03-05'],
    ['20260305', {}, '2026-03-05'],
    ['2026-03-05T23:30:00-05:00', {}, '2026-03-05'],
    ['05/03/2026', { format: 'DD/MM/YYYY' }, '2026-03-05'],
    ['3/5/2026', { format: 'MM/DD/YYYY' }, '2026-03-05'],
    ['05.03.2026', { format: 'DD.MM.YYYY' }, '2026-03-05'],
  ])('reads %j (%j) as %s', (input, options, expected) => {
    expect(harmoniseDate(input, options)).toEqual({ ok: true, value: expected });
  });

  it('reads milliseconds since 1970 as a UTC date', () => {
    expect(harmoniseDate(Date.UTC(2026, 2, 5, 12))).toEqual({ ok: true, value: '2026-03-05' });
  });

  it('rejects a day that does not exist', () => {
    expect(harmoniseDate('2026-02-30')).toEqual({
      ok: false,
      code: 'invalid-date',
      problem: 'is not a real calendar date',
    });
  });

  it('rejects a local date without a format instead of guessing day and month', () => {
    expect(harmoniseDate('05/03/2026')).toEqual({
      ok: false,
      code: 'invalid-date',
      problem: 'is not a date (expected e.g. 2026-03-05)',
    });
  });
});

describe('harmoniseTimestamp', () => {
  it.each([
    ['2026-11-20T09:15:00Z', Date.UTC(2026, 10, 20, 9, 15)],
    ['2026-11-19T16:02:11.000+0000', Date.UTC(2026, 10, 19, 16, 2, 11)],
    ['2026-11-20T10:15:00-05:00', Date.UTC(2026, 10, 20, 15, 15)],
    ['2026-11-20T10:15:00.123456+01:00', Date.UTC(2026, 10, 20, 9, 15, 0, 123)],
  ])('reads %j', (input, expected) => {
    expect(harmoniseTimestamp(input)).toEqual({ ok: true, value: expected });
  });

  it('reads a Pardot v4 local time in the API user time zone, summer time included', () => {
    expect(harmoniseTimestamp('2026-07-01 09:00:00', { timeZone: 'America/New_York' })).toEqual({
      ok: true,
      value: Date.UTC(2026, 6, 1, 13),
    });
    expect(harmoniseTimestamp('2026-12-01 09:00:00', { timeZone: 'America/New_York' })).toEqual({
      ok: true,
      value: Date.UTC(2026, 11, 1, 14),
    });
  });

  it('refuses a local time when nobody said which zone it is in', () => {
    expect(harmoniseTimestamp('2026-07-01 09:00:00')).toEqual({
      ok: false,
      code: 'invalid-date',
      problem: 'has no time zone offset and the template names no timeZone to read it in',
    });
  });

  it('keeps whole milliseconds and refuses fractions', () => {
    expect(harmoniseTimestamp(1795166100000)).toEqual({ ok: true, value: 1795166100000 });
    expect(harmoniseTimestamp(1.5)).toMatchObject({ ok: false, code: 'invalid-date' });
  });

  it('rejects an hour that does not exist', () => {
    expect(harmoniseTimestamp('2026-11-20T25:00:00Z')).toEqual({
      ok: false,
      code: 'invalid-date',
      problem: 'is not a real date and time',
    });
  });
});

describe('harmoniseDateTime', () => {
  it('writes an instant as ISO-8601 UTC text', () => {
    expect(harmoniseDateTime('2026-11-20T10:15:00-05:00')).toEqual({
      ok: true,
      value: '2026-11-20T15:15:00.000Z',
    });
  });
});
