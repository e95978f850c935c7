import { describe, expect, it } from 'vitest';
import { harmoniseDecimal, harmoniseInteger, harmoniseNumber } from './number.harmoniser.js';

describe('harmoniseDecimal', () => {
  it.each([
    ['184250.40', {}, '184250.4'],
    [184250.4, {}, '184250.4'],
    ['1,234,567.89', {}, '1234567.89'],
    ['1 234,56', { decimalSeparator: ',' }, '1234.56'],
    ['1.234,56', { decimalSeparator: ',' }, '1234.56'],
    ['-0.50', {}, '-0.5'],
    ['007', {}, '7'],
    ['+12', {}, '12'],
    [1e21, {}, '1000000000000000000000'],
    ['0.1', {}, '0.1'],
  ] as const)('reads %j (%j) as %s', (input, options, expected) => {
    expect(harmoniseDecimal(input, options)).toEqual({ ok: true, value: expected });
  });

  it('refuses text that is not a number: a data type mismatch is a validation error, not a crash', () => {
    expect(harmoniseDecimal('twelve')).toEqual({
      ok: false,
      code: 'not-a-number',
      problem: 'is not a number',
    });
  });

  it('refuses an ambiguous grouping rather than guessing the separator', () => {
    expect(harmoniseDecimal('1,23')).toMatchObject({ ok: false, code: 'not-a-number' });
  });

  it('refuses a boolean', () => {
    expect(harmoniseDecimal(true)).toEqual({
      ok: false,
      code: 'wrong-type',
      problem: 'is a boolean, not a number',
    });
  });
});

describe('harmoniseNumber and harmoniseInteger', () => {
  it('gives a JavaScript number for numeric API fields', () => {
    expect(harmoniseNumber('184 250.40')).toEqual({ ok: true, value: 184250.4 });
  });

  it('accepts a whole number written with decimals and refuses a fraction', () => {
    expect(harmoniseInteger('87.0')).toEqual({ ok: true, value: 87 });
    expect(harmoniseInteger('87.5')).toEqual({
      ok: false,
      code: 'not-a-whole-number',
      problem: 'is not a whole number',
    });
  });
});
