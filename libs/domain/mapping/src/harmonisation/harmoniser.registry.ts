import { harmoniseAddressLine } from './address-line.harmoniser.js';
import { harmoniseBoolean } from './boolean.harmoniser.js';
import { harmoniseCountry } from './country.harmoniser.js';
import { harmoniseCurrency } from './currency.harmoniser.js';
import { harmoniseDate, harmoniseDateTime, harmoniseTimestamp } from './date.harmoniser.js';
import { harmoniseEmail } from './email.harmoniser.js';
import type { Harmonised } from './harmonisation.types.js';
import { harmoniseDecimal, harmoniseInteger, harmoniseNumber } from './number.harmoniser.js';
import { harmonisePhone } from './phone.harmoniser.js';
import { harmonisePostalCode } from './postal-code.harmoniser.js';
import { harmoniseText, type TextCase } from './text.harmoniser.js';

/** Every value type a mapping template can ask for with `as:`. */
export const HARMONISER_KINDS = [
  'text',
  'email',
  'phone',
  'country',
  'currency',
  'date',
  'timestamp',
  'datetime',
  'decimal',
  'number',
  'integer',
  'boolean',
  'postal-code',
  'address-line',
] as const;

export type HarmoniserKind = (typeof HARMONISER_KINDS)[number];

/** Options of every harmoniser, flat (they sit beside `as:` in a template); `defaultCountry` already resolved to a code. */
export interface HarmoniserOptions {
  readonly maxLength?: number;
  readonly case?: TextCase;
  readonly defaultCountry?: string;
  readonly format?: string;
  readonly timeZone?: string;
  readonly decimalSeparator?: '.' | ',';
  readonly aliases?: Readonly<Record<string, string>>;
  readonly line?: number;
  readonly of?: number;
}

export type HarmoniserOptionName = keyof HarmoniserOptions;

/** Which options each kind understands; a template using another is told so at load time. */
export const HARMONISER_OPTIONS: Readonly<Record<HarmoniserKind, readonly HarmoniserOptionName[]>> = {
  text: ['maxLength', 'case'],
  email: [],
  phone: ['defaultCountry'],
  country: ['aliases'],
  currency: ['aliases'],
  date: ['format', 'timeZone'],
  timestamp: ['timeZone'],
  datetime: ['timeZone'],
  decimal: ['decimalSeparator'],
  number: ['decimalSeparator'],
  integer: ['decimalSeparator'],
  boolean: [],
  'postal-code': [],
  'address-line': ['line', 'of'],
};

export type HarmonisedValue = string | number | boolean | null;

/** Harmonises a non-empty source value into the canonical form of `kind`. */
export function harmonise(
  kind: HarmoniserKind,
  value: unknown,
  options: HarmoniserOptions = {},
): Harmonised<HarmonisedValue> {
  switch (kind) {
    case 'text':
      return harmoniseText(value, options);
    case 'email':
      return harmoniseEmail(value);
    case 'phone':
      return harmonisePhone(value, options);
    case 'country':
      return harmoniseCountry(value, options);
    case 'currency':
      return harmoniseCurrency(value, options);
    case 'date':
      return harmoniseDate(value, options);
    case 'timestamp':
      return harmoniseTimestamp(value, options);
    case 'datetime':
      return harmoniseDateTime(value, options);
    case 'decimal':
      return harmoniseDecimal(value, options);
    case 'number':
      return harmoniseNumber(value, options);
    case 'integer':
      return harmoniseInteger(value, options);
    case 'boolean':
      return harmoniseBoolean(value);
    case 'postal-code':
      return harmonisePostalCode(value);
    case 'address-line':
      return harmoniseAddressLine(value, { line: options.line ?? 1, of: options.of ?? 1 });
  }
}
