import { PardotApiError } from '../errors/pardot-api.error.js';
import type { CustomFieldRecord, ProspectValue } from './pardot-records.types.js';
import {
  STANDARD_FIELDS_BY_LEGACY_NAME,
  STANDARD_FIELDS_BY_NAME,
  type FieldValueType,
} from './prospect-fields.constants.js';

/** Field names as v5 spells them (camelCase) or as v3/v4 do (snake_case); custom fields by field id in both. */
export type FieldNaming = 'v5' | 'legacy';

const EMAIL = /^[^\s@"(),:;<>[\\\]]+@[^\s@"(),:;<>[\\\]]+\.[^\s@"(),:;<>[\\\]]+$/;

export function isValidEmail(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 255 && EMAIL.test(value);
}

/**
 * Checks the fields a client sends for a prospect write and turns them into stored values (v5 names).
 * Unknown fields → 154, read-only ones → 180, bad values → the code Pardot documents for them
 * (4 email, 56 number, 57 date, 29 score). In legacy naming an empty string clears a field.
 */
export function validateProspectInput(
  input: Readonly<Record<string, unknown>>,
  naming: FieldNaming,
  customField: (fieldId: string) => CustomFieldRecord | undefined,
): Map<string, ProspectValue> {
  const out = new Map<string, ProspectValue>();
  for (const [key, raw] of Object.entries(input)) {
    const standard =
      naming === 'v5' ? STANDARD_FIELDS_BY_NAME.get(key) : STANDARD_FIELDS_BY_LEGACY_NAME.get(key);
    const value = naming === 'legacy' && raw === '' ? null : raw;
    if (standard) {
      if (!standard.writable) throw PardotApiError.badRequest(180, `"${key}" is read-only`);
      out.set(standard.name, standardValue(key, standard.name, standard.type, value));
      continue;
    }
    const custom = customField(key);
    if (!custom)
      throw PardotApiError.badRequest(
        154,
        `"${key}" is not a prospect field; create custom fields first (/objects/custom-fields)`,
      );
    out.set(custom.fieldId, customValue(key, custom, value));
  }
  return out;
}

function standardValue(key: string, name: string, type: FieldValueType, value: unknown): ProspectValue {
  if (value === null) {
    if (name === 'email') throw new PardotApiError(4, 400, 'email cannot be cleared');
    return null;
  }
  if (name === 'email') {
    if (!isValidEmail(value))
      throw new PardotApiError(4, 400, `"${String(value)}" is not a valid email address`);
    return value;
  }
  switch (type) {
    case 'integer': {
      const n = toNumber(value);
      if (n === undefined || !Number.isInteger(n))
        throw PardotApiError.badRequest(name === 'score' ? 29 : 56, `"${key}" must be a whole number`);
      return n;
    }
    case 'boolean': {
      const b = toBoolean(value);
      if (b === undefined) throw PardotApiError.badRequest(154, `"${key}" must be true or false`);
      return b;
    }
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number') return String(value);
      throw PardotApiError.badRequest(154, `"${key}" must be a string`);
  }
}

function customValue(key: string, field: CustomFieldRecord, value: unknown): ProspectValue {
  if (value === null) return null;
  switch (field.type) {
    case 'Number': {
      const n = toNumber(value);
      if (n === undefined) throw PardotApiError.badRequest(56, `"${key}" must be a number`);
      return n;
    }
    case 'Date': {
      if (
        typeof value !== 'string' ||
        !/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ||
        Number.isNaN(Date.parse(value))
      ) {
        throw PardotApiError.badRequest(57, `"${key}" must be a date, e.g. 2026-11-26`);
      }
      return value.slice(0, 10);
    }
    case 'Email':
      if (!isValidEmail(value)) throw new PardotApiError(4, 400, `"${key}" must be an email address`);
      return value;
    default:
      if (field.isRecordMultipleResponses && Array.isArray(value)) {
        if (!value.every((v) => typeof v === 'string'))
          throw PardotApiError.badRequest(154, `"${key}" values must be strings`);
        return value as string[];
      }
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw PardotApiError.badRequest(154, `"${key}" must be a string`);
  }
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1' || value === 1) return true;
  if (value === 'false' || value === '0' || value === 0) return false;
  return undefined;
}
