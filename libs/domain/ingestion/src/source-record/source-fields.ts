/** A value of a source event's field map: what Avro `map<[null, boolean, double, string]>` can hold. */
export type SourceFieldValue = boolean | number | string | null;

/** A source event's field map: API names (and dotted paths for nested values) → values. */
export type SourceFields = Readonly<Record<string, SourceFieldValue>>;

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
 * send the field.
 */
export function flattenSourceFields(
  record: Readonly<Record<string, unknown>>,
  options: FlattenOptions = {},
): Record<string, SourceFieldValue> {
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
