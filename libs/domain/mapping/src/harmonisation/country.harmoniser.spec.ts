import { describe, expect, it } from 'vitest';
import { harmoniseCountry } from './country.harmoniser.js';

describe('harmoniseCountry', () => {
  it.each([
    ['FR', 'FR'],
    ['fr', 'FR'],
    [' FRA ', 'FR'],
    ['250', 'FR'],
    ['France', 'FR'],
    ['Allemagne', 'DE'],
    ['Deutschland', 'DE'],
    ['España', 'ES'],
    ['espana', 'ES'],
    ['United States of America', 'US'],
    ['USA', 'US'],
    ['United Kingdom', 'GB'],
    ['UK', 'GB'],
    ['Royaume-Uni', 'GB'],
  ])('%j is %s', (input, code) => {
    expect(harmoniseCountry(input)).toEqual({ ok: true, value: code });
  });

  it('uses the aliases a template adds, whatever their case', () => {
    expect(harmoniseCountry('angleterre', { aliases: { Angleterre: 'gb' } })).toEqual({
      ok: true,
      value: 'GB',
    });
  });

  it('rejects an unknown country with a reason saying what is accepted', () => {
    const result = harmoniseCountry('Atlantis');
    expect(result).toMatchObject({ ok: false, code: 'unknown-country' });
    expect(!result.ok && result.problem).toMatch(
      /^is not a known country: use an ISO 3166-1 code \(such as FR, FRA or 250\)/,
    );
  });

  it('rejects a two-letter code that ISO 3166-1 does not assign', () => {
    expect(harmoniseCountry('ZZ')).toMatchObject({ ok: false, code: 'unknown-country' });
  });
});
