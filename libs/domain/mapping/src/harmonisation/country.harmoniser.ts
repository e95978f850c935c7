import { createRequire } from 'node:module';
import type { LocaleData } from 'i18n-iso-countries';
import countries from 'i18n-iso-countries/index.js';
import { harmonised, notHarmonised, type Harmonised } from './harmonisation.types.js';
import { kindOf, scalarText } from './value-display.util.js';

/** Languages whose country names are recognised (X3's markets: English, French, German, Spanish, Italian, Dutch, Portuguese). */
export const COUNTRY_NAME_LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt'] as const;

// The package's main entry registers all of its 100+ languages (about 2 MB of heap in every service
// that maps); its core without languages is loaded instead, and only these languages are registered.
const require = createRequire(import.meta.url);
for (const language of COUNTRY_NAME_LANGUAGES)
  countries.registerLocale(require(`i18n-iso-countries/langs/${language}.json`) as LocaleData);

export interface CountryOptions {
  /** Extra spellings, e.g. `{ "Angleterre": "GB" }`; matched without regard to case. */
  readonly aliases?: Readonly<Record<string, string>>;
}

/**
 * ISO 3166-1 alpha-2 code from an alpha-2, alpha-3 or numeric code, or a country name in one of
 * {@link COUNTRY_NAME_LANGUAGES} (data: the i18n-iso-countries package).
 */
export function harmoniseCountry(value: unknown, options: CountryOptions = {}): Harmonised<string> {
  const raw = scalarText(value);
  if (raw === undefined) return notHarmonised('wrong-type', `is ${kindOf(value)}, not a country`);
  const text = raw.trim();
  const code = countryCodeOf(text, options.aliases);
  if (code !== undefined) return harmonised(code);
  return notHarmonised(
    'unknown-country',
    'is not a known country: use an ISO 3166-1 code (such as FR, FRA or 250) or a country name in English, French, German, Spanish, Italian, Dutch or Portuguese',
  );
}

/** The alpha-2 code for a code or name, or undefined. */
export function countryCodeOf(
  text: string,
  aliases: Readonly<Record<string, string>> = {},
): string | undefined {
  const alias = Object.entries(aliases).find(([spelling]) => spelling.toLowerCase() === text.toLowerCase());
  if (alias) return alias[1].toUpperCase();
  const upper = text.toUpperCase();
  if (/^[A-Z]{2}$/.test(upper) && countries.isValid(upper)) return upper;
  if (/^[A-Z]{3}$/.test(upper)) {
    const alpha2 = countries.alpha3ToAlpha2(upper);
    if (alpha2) return alpha2;
  }
  if (/^\d{1,3}$/.test(text)) {
    const alpha2 = countries.numericToAlpha2(text.padStart(3, '0'));
    if (alpha2) return alpha2;
  }
  for (const language of COUNTRY_NAME_LANGUAGES) {
    const alpha2 = countries.getAlpha2Code(text, language) ?? countries.getSimpleAlpha2Code(text, language);
    if (alpha2) return alpha2;
  }
  return undefined;
}

export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && countries.isValid(code);
}
