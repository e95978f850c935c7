import type { Harmonised } from '../harmonisation/harmonisation.types.js';
import { scalarText } from '../harmonisation/value-display.util.js';
import type { Scalar, TranslationTable } from '../template/mapping-template.types.js';

export interface Translated {
  readonly value: Scalar | null;
  /** `A → HVC (High-Value Customer) via pardot-grade-to-x3-category` */
  readonly note: string;
}

/** Looks a source value up in a value-translation table (Pardot grade A → X3 category). */
export function translateValue(table: TranslationTable, value: unknown): Harmonised<Translated> {
  const text = scalarText(value)?.trim();
  if (text === undefined)
    return {
      ok: false,
      code: 'wrong-type',
      problem: `is not a single value that the table ${table.name} can translate`,
    };
  const entry = table.entries.get(table.ignoreCase ? text.toLowerCase() : text);
  if (entry) {
    const label = entry.label ? ` (${entry.label})` : '';
    return {
      ok: true,
      value: {
        value: entry.value,
        note: `${JSON.stringify(text)} → ${JSON.stringify(entry.value)}${label} via ${table.name}`,
      },
    };
  }
  switch (table.otherwise.kind) {
    case 'keep':
      return {
        ok: true,
        value: {
          value: typeof value === 'string' ? text : (value as Scalar),
          note: `${JSON.stringify(text)} kept: not in ${table.name}`,
        },
      };
    case 'value':
      return {
        ok: true,
        value: {
          value: table.otherwise.value,
          note: `${JSON.stringify(text)} is not in ${table.name}; its otherwise value applies`,
        },
      };
    case 'reject': {
      const known = [...table.entries.keys()].slice(0, 12).map((key) => JSON.stringify(key));
      return {
        ok: false,
        code: 'untranslated-value',
        problem: `has no translation in the table ${table.name} (known values: ${known.join(', ')}${table.entries.size > 12 ? ', …' : ''})`,
      };
    }
  }
}
