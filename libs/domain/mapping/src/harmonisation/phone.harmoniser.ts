import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { harmonised, notHarmonised, type Harmonised } from './harmonisation.types.js';
import { kindOf, scalarText } from './value-display.util.js';

export interface PhoneOptions {
  /** ISO 3166-1 alpha-2 country for numbers written without an international prefix. */
  readonly defaultCountry?: string;
}

/**
 * E.164 (`+33123456789`), validated against the full numbering plan metadata of libphonenumber-js.
 * An extension cannot be written in E.164; it is reported as a note rather than dropped unseen.
 */
export function harmonisePhone(value: unknown, options: PhoneOptions = {}): Harmonised<string> {
  const raw = scalarText(value);
  if (raw === undefined) return notHarmonised('wrong-type', `is ${kindOf(value)}, not a phone number`);
  const text = raw.trim().replace(/^00(?=[1-9])/, '+');
  const defaultCountry = options.defaultCountry?.toUpperCase() as CountryCode | undefined;
  const parsed = parsePhoneNumberFromString(text, defaultCountry ? { defaultCountry } : {});
  if (!parsed) {
    if (!text.startsWith('+') && !defaultCountry) {
      return notHarmonised(
        'invalid-phone',
        'is not a phone number in international form (+country code) and the record gives no country to read it in',
      );
    }
    return notHarmonised('invalid-phone', 'is not a phone number');
  }
  if (!parsed.isValid()) {
    const where = parsed.country ?? defaultCountry;
    return notHarmonised('invalid-phone', `is not a valid phone number${where ? ` for ${where}` : ''}`);
  }
  return harmonised(
    parsed.number,
    parsed.ext ? `extension ${parsed.ext} cannot be written in E.164 and is not kept` : undefined,
  );
}
