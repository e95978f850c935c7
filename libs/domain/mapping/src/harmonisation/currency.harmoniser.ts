import currencyCodes from 'currency-codes';
import { harmonised, notHarmonised, type Harmonised } from './harmonisation.types.js';
import { kindOf, scalarText } from './value-display.util.js';

export interface CurrencyOptions {
  /** Extra spellings, e.g. `{ "€": "EUR" }`; matched without regard to case. */
  readonly aliases?: Readonly<Record<string, string>>;
}

/** ISO 4217 alphabetic code (data: the currency-codes package, ISO list of its publish date). */
export function harmoniseCurrency(value: unknown, options: CurrencyOptions = {}): Harmonised<string> {
  const raw = scalarText(value);
  if (raw === undefined) return notHarmonised('wrong-type', `is ${kindOf(value)}, not a currency code`);
  const text = raw.trim();
  const alias = Object.entries(options.aliases ?? {}).find(
    ([spelling]) => spelling.toLowerCase() === text.toLowerCase(),
  );
  const code = (alias ? alias[1] : text).toUpperCase();
  if (isCurrencyCode(code)) return harmonised(code);
  return notHarmonised('unknown-currency', 'is not an ISO 4217 currency code (such as EUR, USD or GBP)');
}

export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && currencyCodes.code(code) !== undefined;
}

/** Digits after the decimal point for a currency (JPY 0, EUR 2, BHD 3); undefined when unknown. */
export function currencyMinorUnits(code: string): number | undefined {
  return currencyCodes.code(code.toUpperCase())?.digits;
}
