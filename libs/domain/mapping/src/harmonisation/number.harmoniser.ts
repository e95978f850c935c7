import { harmonised, notHarmonised, type Harmonised } from './harmonisation.types.js';
import { kindOf } from './value-display.util.js';

/** A decimal number written as text with `.` and no exponent (`"-1234.5"`): exact for money. */
export type DecimalText = string;

export interface NumberOptions {
  /** `,` for sources that write `1.234,56`; grouping spaces are always allowed. Default `.`. */
  readonly decimalSeparator?: '.' | ',';
}

/** Exact decimal text, e.g. `"1 234,50"` with `decimalSeparator: ","` → `"1234.5"`. */
export function harmoniseDecimal(value: unknown, options: NumberOptions = {}): Harmonised<DecimalText> {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return notHarmonised('not-a-number', 'is not a finite number');
    return harmonised(
      canonicalDecimal(value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 })),
    );
  }
  if (typeof value !== 'string') return notHarmonised('wrong-type', `is ${kindOf(value)}, not a number`);
  const separator = options.decimalSeparator ?? '.';
  const grouping = separator === '.' ? ',' : '.';
  let text = value.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (new RegExp(`\\${grouping}`).test(text)) {
    const groupedPattern = new RegExp(`^[+-]?\\d{1,3}(\\${grouping}\\d{3})+(\\${separator}\\d+)?$`);
    if (!groupedPattern.test(text))
      return notHarmonised('not-a-number', `is not a number (the decimal separator here is "${separator}")`);
    text = text.split(grouping).join('');
  }
  if (separator === ',') text = text.replace(',', '.');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return notHarmonised('not-a-number', 'is not a number');
  return harmonised(canonicalDecimal(text));
}

/** A JavaScript number, for targets whose API field is numeric (Pardot number custom fields). */
export function harmoniseNumber(value: unknown, options: NumberOptions = {}): Harmonised<number> {
  const decimal = harmoniseDecimal(value, options);
  return decimal.ok ? harmonised(Number(decimal.value)) : decimal;
}

export function harmoniseInteger(value: unknown, options: NumberOptions = {}): Harmonised<number> {
  const decimal = harmoniseDecimal(value, options);
  if (!decimal.ok) return decimal;
  if (decimal.value.includes('.')) return notHarmonised('not-a-whole-number', 'is not a whole number');
  const integer = Number(decimal.value);
  return Number.isSafeInteger(integer)
    ? harmonised(integer)
    : notHarmonised('not-a-number', 'is too large for a whole number');
}

function canonicalDecimal(text: string): DecimalText {
  let [whole = '0', fraction = ''] = text.replace(/^\+/, '').split('.');
  const negative = whole.startsWith('-');
  whole = whole.replace('-', '').replace(/^0+(?=\d)/, '') || '0';
  fraction = fraction.replace(/0+$/, '');
  const body = fraction ? `${whole}.${fraction}` : whole;
  return negative && body !== '0' ? `-${body}` : body;
}
