import type { AvroRecordSchema, AvroSchemaJson } from '@pardot-x3/canonical';

/** A value of a canonical (Avro) type built from a template's output, or every reason it could not be. */
export type CanonicalConversion<V> =
  { readonly ok: true; readonly value: V } | { readonly ok: false; readonly problems: readonly string[] };

type SchemaObject = { readonly [key: string]: AvroSchemaJson };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;
const INT32 = { min: -2_147_483_648, max: 2_147_483_647 };

/**
 * Builds a value of a canonical record type from plain JSON (the output of a mapping template, where
 * dates are `YYYY-MM-DD`, timestamps are ms since 1970 or ISO-8601 text, decimals are exact text), by
 * walking the registered Avro schema:
 * - a field the record does not carry takes the schema's default (`null`, `[]`, `{}`, an enum's
 *   default); a field without a default is required;
 * - timestamps become `Date`, decimals keep their text and must fit the scale (never rounded), ids
 *   given as numbers become text;
 * - a key the schema does not have is a problem (it is a typo in a template, not data to drop silently).
 * Every problem is named by its path, so a bad record is refused with all its reasons at once.
 */
export function toCanonicalValue<V>(schema: AvroRecordSchema<V>, record: unknown): CanonicalConversion<V> {
  const problems: string[] = [];
  const named = new Map<string, SchemaObject>();
  const value = convert(schema.definition, record, '', undefined, named, problems);
  return problems.length === 0 ? { ok: true, value: value as V } : { ok: false, problems };
}

function convert(
  type: AvroSchemaJson,
  value: unknown,
  path: string,
  namespace: string | undefined,
  named: Map<string, SchemaObject>,
  problems: string[],
): unknown {
  const where = path === '' ? 'the record' : path;
  if (Array.isArray(type)) return convertUnion(type, value, path, namespace, named, problems);
  if (typeof type === 'string') {
    const reference = named.get(type) ?? named.get(namespace ? `${namespace}.${type}` : type);
    if (reference) return convert(reference, value, path, namespace, named, problems);
    return convertPrimitive(type, undefined, value, where, problems);
  }
  if (type === null || typeof type !== 'object') {
    problems.push(`${where}: the schema has an unsupported type`);
    return undefined;
  }
  const object = type as SchemaObject;
  const kind = object['type'];
  const ownNamespace = typeof object['namespace'] === 'string' ? object['namespace'] : namespace;
  if (typeof object['name'] === 'string') {
    const name = object['name'];
    named.set(name.includes('.') || !ownNamespace ? name : `${ownNamespace}.${name}`, object);
  }
  switch (kind) {
    case 'record':
      return convertRecord(object, value, path, ownNamespace, named, problems);
    case 'enum': {
      const symbols = Array.isArray(object['symbols']) ? (object['symbols'] as string[]) : [];
      if (typeof value === 'string' && symbols.includes(value)) return value;
      problems.push(`${where}: ${display(value)} is not one of ${symbols.join(', ')}`);
      return undefined;
    }
    case 'array': {
      convertDefault(object['items'] ?? null, ownNamespace, named);
      if (!Array.isArray(value)) {
        problems.push(`${where}: a list is expected, not ${display(value)}`);
        return undefined;
      }
      return value.map((item, i) =>
        convert(object['items'] ?? null, item, `${path}[${i}]`, ownNamespace, named, problems),
      );
    }
    case 'map': {
      convertDefault(object['values'] ?? null, ownNamespace, named);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${where}: an object is expected, not ${display(value)}`);
        return undefined;
      }
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        out[key] = convert(object['values'] ?? null, item, join(path, key), ownNamespace, named, problems);
      }
      return out;
    }
    default:
      if (typeof kind === 'string') {
        const logical = typeof object['logicalType'] === 'string' ? object['logicalType'] : undefined;
        return convertPrimitive(kind, logical, value, where, problems, object);
      }
      return convert(kind ?? null, value, path, ownNamespace, named, problems);
  }
}

function convertRecord(
  type: SchemaObject,
  value: unknown,
  path: string,
  namespace: string | undefined,
  named: Map<string, SchemaObject>,
  problems: string[],
): unknown {
  const where = path === '' ? 'the record' : path;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where}: a record is expected, not ${display(value)}`);
    return undefined;
  }
  const input = value as Record<string, unknown>;
  const fields = Array.isArray(type['fields']) ? (type['fields'] as SchemaObject[]) : [];
  const out: Record<string, unknown> = {};
  const known = new Set<string>();
  for (const field of fields) {
    const name = String(field['name']);
    known.add(name);
    const fieldPath = join(path, name);
    if (input[name] === undefined) {
      if ('default' in field) {
        // Register the named types the field defines even when the default is used.
        convertDefault(field['type'] ?? null, namespace, named);
        out[name] = structuredClone(field['default']);
      } else {
        problems.push(`${fieldPath} is required`);
      }
      continue;
    }
    out[name] = convert(field['type'] ?? null, input[name], fieldPath, namespace, named, problems);
  }
  for (const key of Object.keys(input)) {
    if (!known.has(key) && input[key] !== undefined)
      problems.push(`${join(path, key)} is not a field of ${String(type['name'])}`);
  }
  return out;
}

/** Walks a type only to learn the named types it defines (a default value needs no conversion). */
function convertDefault(
  type: AvroSchemaJson,
  namespace: string | undefined,
  named: Map<string, SchemaObject>,
): void {
  if (Array.isArray(type)) {
    for (const branch of type) convertDefault(branch, namespace, named);
    return;
  }
  if (type === null || typeof type !== 'object') return;
  const object = type as SchemaObject;
  const ownNamespace = typeof object['namespace'] === 'string' ? object['namespace'] : namespace;
  if (typeof object['name'] === 'string') {
    const name = object['name'];
    named.set(name.includes('.') || !ownNamespace ? name : `${ownNamespace}.${name}`, object);
  }
  if (Array.isArray(object['fields']))
    for (const field of object['fields'] as SchemaObject[])
      convertDefault(field['type'] ?? null, ownNamespace, named);
  if (object['items'] !== undefined) convertDefault(object['items'], ownNamespace, named);
  if (object['values'] !== undefined) convertDefault(object['values'], ownNamespace, named);
}

function convertUnion(
  branches: readonly AvroSchemaJson[],
  value: unknown,
  path: string,
  namespace: string | undefined,
  named: Map<string, SchemaObject>,
  problems: string[],
): unknown {
  const nullable = branches.includes('null');
  const others = branches.filter((b) => b !== 'null');
  if (value === null || value === undefined) {
    if (nullable) {
      for (const branch of others) convertDefault(branch, namespace, named);
      return null;
    }
    problems.push(`${path === '' ? 'the record' : path} is required`);
    return undefined;
  }
  const [only] = others;
  if (others.length === 1 && only !== undefined)
    return convert(only, value, path, namespace, named, problems);
  problems.push(`${path}: unions of several types are not used by canonical records`);
  return undefined;
}

function convertPrimitive(
  kind: string,
  logical: string | undefined,
  value: unknown,
  where: string,
  problems: string[],
  type?: SchemaObject,
): unknown {
  switch (kind) {
    case 'null':
      if (value === null) return null;
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      break;
    case 'int':
      if (logical === 'date') {
        if (typeof value === 'string' && ISO_DATE.test(value)) return value;
        if (typeof value === 'number' && Number.isFinite(value))
          return new Date(value).toISOString().slice(0, 10);
        problems.push(`${where}: ${display(value)} is not a date (YYYY-MM-DD)`);
        return undefined;
      }
      {
        const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
        if (typeof n === 'number' && Number.isInteger(n) && n >= INT32.min && n <= INT32.max) return n;
      }
      break;
    case 'long':
      if (logical === 'timestamp-millis') {
        const ms =
          typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
        if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
        if (Number.isFinite(ms)) return new Date(ms);
        problems.push(`${where}: ${display(value)} is not a point in time`);
        return undefined;
      }
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      break;
    case 'float':
    case 'double':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      break;
    case 'bytes':
      if (logical === 'decimal') return decimalText(value, type, where, problems);
      break;
  }
  problems.push(`${where}: ${display(value)} is not ${article(kind)}`);
  return undefined;
}

function decimalText(
  value: unknown,
  type: SchemaObject | undefined,
  where: string,
  problems: string[],
): unknown {
  const scale = typeof type?.['scale'] === 'number' ? type['scale'] : 0;
  const precision = typeof type?.['precision'] === 'number' ? type['precision'] : 38;
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const match = typeof text === 'string' ? DECIMAL.exec(text.trim()) : null;
  if (!match) {
    problems.push(`${where}: ${display(value)} is not a decimal number`);
    return undefined;
  }
  const [, sign = '', whole = '0', fraction = ''] = match;
  if (fraction.replace(/0+$/, '').length > scale) {
    problems.push(`${where}: ${display(value)} has more than ${scale} decimals (it is never rounded)`);
    return undefined;
  }
  if (whole.replace(/^0+/, '').length > precision - scale) {
    problems.push(`${where}: ${display(value)} has too many digits`);
    return undefined;
  }
  const kept = fraction.replace(/0+$/, '');
  return `${sign}${whole}${kept === '' ? '' : `.${kept}`}`;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function article(kind: string): string {
  const words: Record<string, string> = {
    int: 'a whole number',
    long: 'a whole number',
    float: 'a number',
    double: 'a number',
    string: 'text',
    boolean: 'true or false',
    null: 'empty',
    bytes: 'bytes',
  };
  return words[kind] ?? kind;
}

function display(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
