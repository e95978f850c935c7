import { describe, expect, it } from 'vitest';
import { InvalidSourceRecordError } from '../source-record/invalid-source-record.error.js';
import { parseX3Notification } from './x3-notification.js';
import { x3SourceChange } from './x3-source-change.js';

/**
 * Bad input at the X3 edge (issue 11): wrong types for keys and versions, and text PostgreSQL cannot
 * keep, are refused with the field named — before, a numeric BPCNUM and a non-numeric UPDTICK were
 * accepted (200) and a NUL byte in a key reached PostgreSQL (500).
 */

const record = {
  BPCNUM: 'C00001',
  BPCNAM: 'Acme Industrie',
  UPDDATTIM: '2026-11-26T10:15:00Z',
  UPDTICK: 7,
};

function problems(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidSourceRecordError) return error.problems;
    throw error;
  }
  throw new Error('expected an InvalidSourceRecordError');
}

const change = (overrides: Record<string, unknown>) => () =>
  x3SourceChange({
    className: 'BPCUSTOMER',
    record: { ...record, ...overrides },
    via: 'POLL',
    folder: 'SEED',
  });

const notification = (overrides: Record<string, unknown>, recordOverrides: Record<string, unknown> = {}) => ({
  eventId: 'e1',
  folder: 'SEED',
  class: 'BPCUSTOMER',
  key: 'C00001',
  changeType: 'UPDATE',
  record: { ...record, ...recordOverrides },
  ...overrides,
});

describe('X3 records with wrong types or unstorable text are refused, naming the field', () => {
  it('a numeric key is not a key', () => {
    expect(problems(change({ BPCNUM: 12345 }))).toEqual([
      'BPCNUM (key) must be a text, not a number (12345)',
    ]);
    expect(problems(change({ BPCNUM: ['C00001'] }))).toEqual(['BPCNUM (key) must be a text, not a list']);
    expect(problems(change({ BPCNUM: 'C'.repeat(65) }))).toEqual(['BPCNUM (key) must be 1 to 64 characters']);
  });

  it('UPDTICK, the version, must be a whole number', () => {
    expect(problems(change({ UPDTICK: 'seven' }))).toEqual([
      `UPDTICK (the version) must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, not a text ("seven")`,
    ]);
    expect(problems(change({ UPDTICK: 1.5 }))).toHaveLength(1);
    expect(problems(change({ UPDTICK: -1 }))).toHaveLength(1);
    expect(problems(change({ UPDTICK: 1e300 }))).toHaveLength(1);
    expect(problems(change({ UPDTICK: { n: 1 } }))).toHaveLength(1);
    // absent or null: the version is UPDDATTIM alone
    expect(change({ UPDTICK: null })().version).toEqual({ changedAt: Date.parse(record.UPDDATTIM) });
  });

  it('a NUL byte or a lone surrogate in a key, a value or a field name is refused', () => {
    expect(problems(change({ BPCNUM: 'C0\u00001' }))).toEqual(['BPCNUM: contains a NUL character']);
    expect(problems(change({ BPCNAM: 'Acme \uD800' }))).toEqual([
      'BPCNAM: contains a lone UTF-16 surrogate (not valid Unicode)',
    ]);
    expect(problems(change({ BPAADDLIG: ['ok', 'bad \uDFFF'] }))).toEqual([
      'BPAADDLIG.1: contains a lone UTF-16 surrogate (not valid Unicode)',
    ]);
    expect(problems(change({ 'Y\u0000': 'x' }))).toEqual([
      '"Y\\u0000" (a field name): contains a NUL character',
    ]);
    // a well-formed surrogate pair (an emoji) is fine
    expect(change({ BPCNAM: 'Acme 🚲' })().change.fields['BPCNAM']).toBe('Acme 🚲');
  });

  it('a webhook notification with such a record, key or event id: 400-worthy problems', () => {
    expect(problems(() => parseX3Notification(notification({ key: 'C00001\u0000' })))).toEqual([
      'key: contains a NUL character',
    ]);
    expect(problems(() => parseX3Notification(notification({ eventId: '\uDC00' })))).toEqual([
      'eventId: contains a lone UTF-16 surrogate (not valid Unicode)',
    ]);
    expect(problems(() => parseX3Notification(notification({}, { BPCNAM: 'a\u0000b' })))).toEqual([
      'record.BPCNAM: contains a NUL character',
    ]);
  });
});
