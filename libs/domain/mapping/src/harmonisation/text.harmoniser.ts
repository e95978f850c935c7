import { harmonised, notHarmonised, type Harmonised } from './harmonisation.types.js';
import { kindOf, scalarText } from './value-display.util.js';

export type TextCase = 'upper' | 'lower' | 'title';

export interface TextOptions {
  /** Longer text is an error, never cut short silently (X3 BPCNAM holds 35 characters). */
  readonly maxLength?: number;
  readonly case?: TextCase;
}

/** Trims, collapses runs of spaces and tabs, applies the case; numbers and booleans become their text. */
export function harmoniseText(value: unknown, options: TextOptions = {}): Harmonised<string> {
  const raw = scalarText(value);
  if (raw === undefined) return notHarmonised('wrong-type', `is ${kindOf(value)}, not text`);
  let text = raw
    .split(/\r?\n/)
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .trim();
  if (options.case === 'upper') text = text.toLocaleUpperCase('en');
  if (options.case === 'lower') text = text.toLocaleLowerCase('en');
  if (options.case === 'title') text = titleCase(text);
  if (options.maxLength !== undefined && [...text].length > options.maxLength) {
    return notHarmonised(
      'too-long',
      `is ${[...text].length} characters long; the target holds at most ${options.maxLength}`,
    );
  }
  return harmonised(text);
}

function titleCase(text: string): string {
  return text
    .toLocaleLowerCase('en')
    .replace(
      /(^|[\s'’-])(\p{L})/gu,
      (_match, before: string, letter: string) => before + letter.toLocaleUpperCase('en'),
    );
}
