/** Builders for api1 `where` expressions; values are quoted, names are checked. */

const PROPERTY = /^[A-Za-z][A-Za-z0-9_]*$/;

/** An X3 property name (`BPCNUM`, `UPDDATTIM`), checked so it cannot inject into a where clause. */
export function x3Property(name: string): string {
  if (!PROPERTY.test(name)) throw new Error(`"${name}" is not a valid X3 property name`);
  return name;
}

/** A quoted api1 string literal (single quotes doubled). */
export function x3String(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** An api1 datetime literal in UTC, whole seconds: `@2026-11-26T10:15:00Z@`. */
export function x3DateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error('invalid date in an X3 where clause');
  return `@${date.toISOString().replace(/\.\d{3}Z$/, 'Z')}@`;
}

/** `PROP eq 'value'`. */
export function x3Equals(property: string, value: string): string {
  return `${x3Property(property)} eq ${x3String(value)}`;
}

/**
 * `(PROP eq 'a' or PROP eq 'b' …)`: one `$query` for several keys (api1 where predicates combine with
 * `or`). Keep the list short (tens of values): the clause travels in the URL.
 */
export function x3EqualsAny(property: string, values: readonly string[]): string {
  if (values.length === 0) throw new Error('x3EqualsAny needs at least one value');
  return `(${values.map((value) => x3Equals(property, value)).join(' or ')})`;
}
