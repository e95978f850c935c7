import { describe, expect, it } from 'vitest';
import { harmoniseAddressLine } from './address-line.harmoniser.js';
import { harmoniseBoolean } from './boolean.harmoniser.js';
import { harmonisePostalCode } from './postal-code.harmoniser.js';
import { harmoniseText } from './text.harmoniser.js';

describe('harmoniseText', () => {
  it('trims and collapses runs of spaces', () => {
    expect(harmoniseText('  Acme   Industrie\tSARL ')).toEqual({ ok: true, value: 'Acme Industrie SARL' });
  });

  it('applies the case a target wants', () => {
    expect(harmoniseText('jean-luc o’neill', { case: 'title' })).toEqual({
      ok: true,
      value: 'Jean-Luc O’Neill',
    });
    expect(harmoniseText('c000123', { case: 'upper' })).toEqual({ ok: true, value: 'C000123' });
  });

  it('refuses text longer than the target holds instead of cutting it', () => {
    expect(harmoniseText('Établissements Industriels du Grand Ouest', { maxLength: 35 })).toEqual({
      ok: false,
      code: 'too-long',
      problem: 'is 41 characters long; the target holds at most 35',
    });
  });

  it('refuses a nested record', () => {
    expect(harmoniseText({ Name: 'Acme' })).toEqual({
      ok: false,
      code: 'wrong-type',
      problem: 'is a nested record, not text',
    });
  });
});

describe('harmoniseAddressLine', () => {
  it('splits a multi-line street and puts what does not fit on the last line', () => {
    const street = '12 rue de la Paix\nBâtiment B\n3e étage';
    expect(harmoniseAddressLine(street, { line: 1, of: 2 })).toEqual({
      ok: true,
      value: '12 rue de la Paix',
    });
    expect(harmoniseAddressLine(street, { line: 2, of: 2 })).toEqual({
      ok: true,
      value: 'Bâtiment B, 3e étage',
    });
  });

  it('reads X3 address lines given as a list, skipping empty ones', () => {
    expect(harmoniseAddressLine(['12 rue de la Paix', '', 'Bâtiment B'], { line: 2, of: 2 })).toEqual({
      ok: true,
      value: 'Bâtiment B',
    });
  });

  it('says the line is empty when the address is shorter', () => {
    expect(harmoniseAddressLine('12 rue de la Paix', { line: 2, of: 2 })).toEqual({ ok: true, value: null });
  });
});

describe('harmonisePostalCode and harmoniseBoolean', () => {
  it('writes postal codes in upper case with single spaces', () => {
    expect(harmonisePostalCode(' sw1a   1aa ')).toEqual({ ok: true, value: 'SW1A 1AA' });
    expect(harmonisePostalCode(75002)).toEqual({ ok: true, value: '75002' });
  });

  it('refuses something that is no postal code', () => {
    expect(harmonisePostalCode('75002 Paris, France')).toMatchObject({
      ok: false,
      code: 'invalid-postal-code',
    });
  });

  it('reads yes and no in their usual spellings', () => {
    expect(['yes', 'N', 1, 'false', true].map((v) => harmoniseBoolean(v))).toEqual(
      [true, false, true, false, true].map((value) => ({ ok: true, value })),
    );
    expect(harmoniseBoolean('maybe')).toMatchObject({ ok: false, code: 'not-a-boolean' });
  });
});
