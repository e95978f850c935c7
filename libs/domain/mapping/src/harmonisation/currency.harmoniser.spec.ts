import { describe, expect, it } from 'vitest';
import { currencyMinorUnits, harmoniseCurrency } from './currency.harmoniser.js';

describe('harmoniseCurrency', () => {
  it.each([
    ['EUR', 'EUR'],
    [' eur ', 'EUR'],
    ['gbp', 'GBP'],
    ['CHF', 'CHF'],
  ])('%j is %s', (input, code) => {
    expect(harmoniseCurrency(input)).toEqual({ ok: true, value: code });
  });

  it('uses a template alias such as the euro sign', () => {
    expect(harmoniseCurrency('€', { aliases: { '€': 'EUR' } })).toEqual({ ok: true, value: 'EUR' });
  });

  it.each(['EURO', 'XYZ', '€', 'Euro'])('rejects %j as not an ISO 4217 code', (input) => {
    expect(harmoniseCurrency(input)).toEqual({
      ok: false,
      code: 'unknown-currency',
      problem: 'is not an ISO 4217 currency code (such as EUR, USD or GBP)',
    });
  });

  it('knows how many decimals each currency has', () => {
    expect([
      currencyMinorUnits('EUR'),
      currencyMinorUnits('jpy'),
      currencyMinorUnits('BHD'),
      currencyMinorUnits('XYZ'),
    ]).toEqual([2, 0, 3, undefined]);
  });
});
