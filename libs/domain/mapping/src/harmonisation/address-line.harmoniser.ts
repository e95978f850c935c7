import { harmonised, notHarmonised, type Harmonised } from './harmonisation.types.js';
import { kindOf, scalarText } from './value-display.util.js';

export interface AddressLineOptions {
  /** Which line to take, from 1. */
  readonly line: number;
  /** How many lines the target has; the last one receives every remaining line, joined by ", ". */
  readonly of: number;
}

/**
 * One line of a street address given as multi-line text (Salesforce `MailingStreet`) or as a list of
 * lines (X3 `BPAADDLIG`). Nothing is lost: the target's last line carries whatever did not fit.
 * Returns null when the address has no such line.
 */
export function harmoniseAddressLine(value: unknown, options: AddressLineOptions): Harmonised<string | null> {
  let lines: string[];
  if (Array.isArray(value)) {
    const texts = value.map((item) => (item === null || item === undefined ? '' : scalarText(item)));
    if (texts.some((text) => text === undefined))
      return notHarmonised('wrong-type', 'is a list holding something other than text');
    lines = texts.flatMap((text) => (text ?? '').split(/\r?\n/));
  } else {
    const text = scalarText(value);
    if (text === undefined) return notHarmonised('wrong-type', `is ${kindOf(value)}, not an address`);
    lines = text.split(/\r?\n/);
  }
  lines = lines.map((line) => line.replace(/[ \t]+/g, ' ').trim()).filter((line) => line.length > 0);
  const taken =
    options.line < options.of ? lines.slice(options.line - 1, options.line) : lines.slice(options.of - 1);
  return harmonised(taken.length > 0 ? taken.join(', ') : null);
}
