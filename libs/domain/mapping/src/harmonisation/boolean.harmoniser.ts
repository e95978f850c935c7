import { harmonised, notHarmonised, type Harmonised } from './harmonisation.types.js';
import { scalarText } from './value-display.util.js';

const TRUE = new Set(['true', '1', 'yes', 'y']);
const FALSE = new Set(['false', '0', 'no', 'n']);

/** true/false from `true`, `1`, `yes`, `y` and their opposites. X3's 1 = no / 2 = yes menus need a translation table. */
export function harmoniseBoolean(value: unknown): Harmonised<boolean> {
  if (typeof value === 'boolean') return harmonised(value);
  const text = scalarText(value)?.trim().toLowerCase();
  if (text !== undefined && TRUE.has(text)) return harmonised(true);
  if (text !== undefined && FALSE.has(text)) return harmonised(false);
  return notHarmonised('not-a-boolean', 'is not yes/no (expected true, false, 1, 0, yes or no)');
}
