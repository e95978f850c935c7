import type { X3ClassDef, X3FieldDef } from '../catalog/x3-class-catalog.constants.js';
import { X3HttpError, diagnosis, type X3Diagnosis } from '../errors/x3-http.error.js';
import type { X3Value } from '../store/x3-record.types.js';

export interface X3WriteInput {
  readonly values: Record<string, X3Value>;
  /** Lines sent under the class's line table name (undefined when none were sent). */
  readonly lines?: Record<string, X3Value>[];
  /** Business problems with the values (read-only or mandatory properties, bad values). */
  readonly problems: X3Diagnosis[];
}

/**
 * Reads a $create / $edit body: a JSON object of properties (and lines under the line table's name).
 * Properties the representation does not have answer 400; `$`-prefixed ones ($uuid, $etag, …) that
 * clients echo back are ignored. Read-only, missing mandatory and badly typed values become business
 * problems, reported together in `$diagnoses`.
 */
export function readWriteInput(def: X3ClassDef, body: unknown, mode: 'create' | 'edit'): X3WriteInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new X3HttpError(400, 'The request body must be a JSON object of properties');
  const values: Record<string, X3Value> = {};
  const problems: X3Diagnosis[] = [];
  let lines: Record<string, X3Value>[] | undefined;
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    if (name.startsWith('$')) continue;
    if (def.lines && name === def.lines.name) {
      lines = readLines(def, raw, problems);
      continue;
    }
    const field = def.fields.find((x) => x.name === name);
    if (!field)
      throw new X3HttpError(400, `${name} is not a property of representation ${def.representation}`);
    const isKey = def.keyFields.includes(name);
    const writable = mode === 'create' ? field.editable || isKey : field.editable && !isKey;
    if (!writable) {
      problems.push(diagnosis(`${name}: this property cannot be modified`));
      continue;
    }
    const coerced = coerce(field, raw);
    if ('problem' in coerced) problems.push(diagnosis(coerced.problem));
    else values[name] = coerced.value;
  }
  if (mode === 'create') {
    for (const field of def.fields) {
      if (
        field.required &&
        (values[field.name] === undefined || values[field.name] === null || values[field.name] === '')
      ) {
        problems.push(diagnosis(`${field.name}: Mandatory field`));
      }
    }
  }
  return { values, ...(lines ? { lines } : {}), problems };
}

function readLines(def: X3ClassDef, raw: unknown, problems: X3Diagnosis[]): Record<string, X3Value>[] {
  const lineDef = def.lines;
  if (!lineDef) return [];
  if (!Array.isArray(raw)) throw new X3HttpError(400, `${lineDef.name} must be an array of lines`);
  return raw.map((line, index) => {
    if (typeof line !== 'object' || line === null || Array.isArray(line))
      throw new X3HttpError(400, `${lineDef.name}[${index}] must be an object`);
    const out: Record<string, X3Value> = {};
    for (const [name, value] of Object.entries(line as Record<string, unknown>)) {
      if (name.startsWith('$')) continue;
      const field = lineDef.fields.find((x) => x.name === name);
      if (!field)
        throw new X3HttpError(400, `${lineDef.name}[${index}].${name} is not a property of the lines`);
      if (!field.editable) {
        problems.push(diagnosis(`${lineDef.name}[${index}].${name}: this property cannot be modified`));
        continue;
      }
      const coerced = coerce(field, value);
      if ('problem' in coerced) problems.push(diagnosis(`${lineDef.name}[${index}].${coerced.problem}`));
      else out[name] = coerced.value;
    }
    for (const field of lineDef.fields) {
      if (
        field.required &&
        (out[field.name] === undefined || out[field.name] === null || out[field.name] === '')
      ) {
        problems.push(diagnosis(`${lineDef.name}[${index}].${field.name}: Mandatory field`));
      }
    }
    return out;
  });
}

function coerce(field: X3FieldDef, raw: unknown): { value: X3Value } | { problem: string } {
  if (raw === null) return { value: null };
  switch (field.type) {
    case 'string':
      if (typeof raw === 'string') return { value: raw };
      if (typeof raw === 'number') return { value: String(raw) };
      return { problem: `${field.name}: a text value is expected` };
    case 'integer': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && /^-?\d+$/.test(raw.trim())
            ? Number(raw)
            : NaN;
      return Number.isInteger(n) ? { value: n } : { problem: `${field.name}: an integer is expected` };
    }
    case 'decimal': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim())
            ? Number(raw)
            : NaN;
      return Number.isFinite(n) ? { value: n } : { problem: `${field.name}: a number is expected` };
    }
    case 'date':
      return typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(raw))
        ? { value: raw }
        : { problem: `${field.name}: a date YYYY-MM-DD is expected` };
    case 'datetime':
      return typeof raw === 'string' && !Number.isNaN(Date.parse(raw))
        ? { value: raw }
        : { problem: `${field.name}: a date-time is expected` };
  }
}
