import { harmonised, notHarmonised, type Harmonised } from './harmonisation.types.js';
import { kindOf, scalarText } from './value-display.util.js';

/** Upper case, single spaces (`sw1a  1aa` → `SW1A 1AA`); at most 12 letters, digits, spaces or dashes. */
export function harmonisePostalCode(value: unknown): Harmonised<string> {
  const raw = scalarText(value);
  if (raw === undefined) return notHarmonised('wrong-type', `is ${kindOf(value)}, not a postal code`);
  const code = raw.trim().replace(/\s+/g, ' ').toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9 -]{0,11}$/.test(code))
    return notHarmonised(
      'invalid-postal-code',
      'is not a postal code (letters, digits, spaces and dashes, at most 12)',
    );
  return harmonised(code);
}
