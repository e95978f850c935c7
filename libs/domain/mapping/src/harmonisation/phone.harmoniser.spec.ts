import { describe, expect, it } from 'vitest';
import { harmonisePhone } from './phone.harmoniser.js';

describe('harmonisePhone', () => {
  it('reads a French national number with the record country and writes E.164', () => {
    expect(harmonisePhone('01 42 68 53 00', { defaultCountry: 'FR' })).toEqual({
      ok: true,
      value: '+33142685300',
    });
  });

  it('keeps an international number as written whatever the default country', () => {
    expect(harmonisePhone('+44 20 7946 0958', { defaultCountry: 'FR' })).toEqual({
      ok: true,
      value: '+442079460958',
    });
  });

  it('understands the 00 international prefix', () => {
    expect(harmonisePhone('0049 30 901820', {})).toEqual({ ok: true, value: '+4930901820' });
  });

  it('accepts a number given as a JSON number', () => {
    expect(harmonisePhone(142685300, { defaultCountry: 'FR' })).toEqual({ ok: true, value: '+33142685300' });
  });

  it('tells the user when a national number has no country to be read in', () => {
    expect(harmonisePhone('01 42 68 53 00')).toEqual({
      ok: false,
      code: 'invalid-phone',
      problem:
        'is not a phone number in international form (+country code) and the record gives no country to read it in',
    });
  });

  it('rejects a number too short for the country', () => {
    expect(harmonisePhone('01 42 68', { defaultCountry: 'FR' })).toEqual({
      ok: false,
      code: 'invalid-phone',
      problem: 'is not a valid phone number for FR',
    });
  });

  it('rejects text that is no phone number at all', () => {
    expect(harmonisePhone('call me maybe', { defaultCountry: 'FR' })).toEqual({
      ok: false,
      code: 'invalid-phone',
      problem: 'is not a phone number',
    });
  });

  it('keeps the number but says that an extension cannot be carried in E.164', () => {
    expect(harmonisePhone('+1 212 555 0147 ext. 12')).toEqual({
      ok: true,
      value: '+12125550147',
      note: 'extension 12 cannot be written in E.164 and is not kept',
    });
  });
});
