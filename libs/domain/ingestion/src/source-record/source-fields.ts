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
 * their name; nested records and lists become dotted paths (`Account.Name`, `BPAADDLIG.0`), so a
 * mapping template reads them with the same path after {@link expandSourceFields}. Keys starting with
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

/**
 * The inverse of {@link flattenSourceFields}: dotted paths become nested records, and records whose keys
 * are 0, 1, 2… become lists, so `BPAADDLIG.0` is read back by the template path `BPAADDLIG.0` and
 * `Account.Name` by `Account.Name`.
 */
export function expandSourceFields(fields: SourceFields): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(fields)) {
    const parts = path.split('.');
    let node = root;
    for (const [index, part] of parts.entries()) {
      if (index === parts.length - 1) {
        node[part] = value;
        break;
      }
      const next = node[part];
      if (typeof next !== 'object' || next === null) {
        const created: Record<string, unknown> = {};
        node[part] = created;
        node = created;
      } else node = next as Record<string, unknown>;
    }
  }
  return listify(root) as Record<string, unknown>;
}

function listify(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([key, nested]) => [key, listify(nested)] as const,
  );
  const keys = entries.map(([key]) => key);
  const isList = keys.length > 0 && keys.every((key, index) => key === String(index));
  if (isList) return entries.map(([, nested]) => nested);
  return Object.fromEntries(entries);
}

function isMetadataKey(key: string): boolean {
  return key.startsWith('$') || key === 'attributes';
}
