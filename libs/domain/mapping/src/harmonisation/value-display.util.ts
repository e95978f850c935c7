const MAX_SHOWN = 80;

/** A value as shown in an error message: quoted text (shortened), numbers as written, kinds for the rest. */
export function displayValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'empty';
  if (typeof value === 'string')
    return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return 'a nested record';
}

/** The name of a value's kind, for "expected text, got a list" messages. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a nested record';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}

/** Text from a scalar source value; undefined for lists and records (which are not text). */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}
