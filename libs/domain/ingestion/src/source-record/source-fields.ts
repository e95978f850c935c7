import { InvalidSourceRecordError } from './invalid-source-record.error.js';

/** A value of a source event's field map: what Avro `map<[null, boolean, double, string]>` can hold. */
export type SourceFieldValue = boolean | number | string | null;

/** A source event's field map: API names (and dotted paths for nested values) → values. */
export type SourceFields = Readonly<Record<string, SourceFieldValue>>;

/**
 * Keys that are never field names: written through a normal object (`obj["__proto__"][k] = v`) they
 * change `Object.prototype` for the whole process. The same list as `FORBIDDEN_KEYS` of
 * @pardot-x3/mapping, which refuses them again when a template reads a record.
 */
const FORBIDDEN_FIELD_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * One problem per key named `__proto__`, `constructor` or `prototype` at any depth of a record from a
 * source (`JSON.parse` keeps `"__proto__"` as an own key; copying it is what pollutes), e.g.
 * `BPAADDLIG.__proto__: __proto__, constructor and prototype are not allowed as field names`.
 */
export function forbiddenFieldProblems(record: unknown): string[] {
  const problems: string[] = [];
  const seen = new Set<object>();
  const visit = (value: unknown, path: string, depth: number): void => {
    if (value === null || typeof value !== 'object' || depth > 64 || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${path}.${index}`, depth + 1));
      return;
    }
    for (const key of Object.keys(value)) {
      const at = path === '' ? key : `${path}.${key}`;
      if (FORBIDDEN_FIELD_KEYS.has(key))
        problems.push(`${at}: __proto__, constructor and prototype are not allowed as field names`);
      else visit((value as Record<string, unknown>)[key], at, depth + 1);
    }
  };
  visit(record, '', 0);
  return problems;
}

export interface FlattenOptions {
  /** Top-level keys left out (e.g. X3 line tables delivered as lines, Salesforce `attributes`). */
  readonly omit?: readonly string[];
}

/**
 * Turns a source record (JSON as the API returned it) into a source event's field map. Scalars keep
 * their name; nested records and lists become dotted paths (`Account.Name`, `BPAADDLIG.0`), which the
 * transformer nests again (`sourceRecordInput` of @pardot-x3/mapping) so a template reads the same path. Keys starting with
 * `$` (X3 `$uuid`, `$etag`, `$links`) and Salesforce `attributes` objects are metadata and left out.
 * A present key with `null` means the source says the field is empty; a missing key, that it did not
 * send the field. A key named `__proto__`, `constructor` or `prototype` anywhere is refused
 * ({@link InvalidSourceRecordError}; the source-event builders name the record first).
 */
export function flattenSourceFields(
  record: Readonly<Record<string, unknown>>,
  options: FlattenOptions = {},
): Record<string, SourceFieldValue> {
  const forbidden = forbiddenFieldProblems(record);
  if (forbidden.length > 0) throw new InvalidSourceRecordError('source', forbidden);
  const omit = new Set(options.omit ?? []);
  const out: Record<string, SourceFieldValue> = {};
  const visit = (value: unknown, path: string): void => {
    if (value === null || value === undefined) {
      if (value === null) out[path] = null;
      return;
    }
    if (typeof value === 'string' || typeof value === 'boolean') {
      out[path] = value;
      return;
    }
    if (typeof value === 'number') {
      out[path] = Number.isFinite(value) ? value : String(value);
      return;
    }
    if (typeof value === 'bigint') {
      out[path] = value.toString();
      return;
    }
    if (value instanceof Date) {
      out[path] = value.toISOString();
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${path}.${index}`));
      return;
    }
    if (typeof value === 'object') {
      for (const [key, nested] of Object.entries(value as Record<string, unknown>)) {
        if (isMetadataKey(key)) continue;
        visit(nested, `${path}.${key}`);
      }
    }
  };
  for (const [key, value] of Object.entries(record)) {
    if (omit.has(key) || isMetadataKey(key)) continue;
    visit(value, key);
  }
  return out;
}

function isMetadataKey(key: string): boolean {
  return key.startsWith('$') || key === 'attributes';
}
