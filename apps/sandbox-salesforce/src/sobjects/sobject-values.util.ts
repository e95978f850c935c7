import { SalesforceApiError } from '../errors/salesforce-api.error.js';
import { normalizeSalesforceId } from './salesforce-id.util.js';
import type { FieldDef } from './sobject-schema.types.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function soapTypeName(field: FieldDef): string {
  switch (field.type) {
    case 'boolean':
      return 'boolean';
    case 'currency':
    case 'double':
    case 'percent':
      return 'double';
    case 'int':
      return 'int';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    default:
      return 'string';
  }
}

function cannotDeserialize(field: FieldDef, value: unknown): SalesforceApiError {
  const token =
    typeof value === 'string'
      ? 'VALUE_STRING'
      : typeof value === 'number'
        ? 'VALUE_NUMBER_INT'
        : typeof value === 'boolean'
          ? 'VALUE_TRUE'
          : 'START_OBJECT';
  return SalesforceApiError.jsonParser(
    `Cannot deserialize instance of ${soapTypeName(field)} from ${token} value ${typeof value === 'object' ? '{' : String(value)} or request may be missing a required field`,
  );
}

/** Epoch milliseconds of an ISO date or datetime literal, or undefined when it is not one. */
export function parseDateTime(value: string): number | undefined {
  const m = DATETIME.exec(value);
  if (!m) return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}

export function isValidDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Internal datetime form: ISO with milliseconds and Z. */
export function toIsoDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** REST API datetime form: `2025-01-31T09:30:00.000+0000`. */
export function toRestDateTime(iso: string): string {
  return iso.replace(/Z$/, '+0000');
}

/**
 * Converts one JSON value from a request body to the stored form of the field, or throws the error
 * Salesforce returns for it (JSON_PARSER_ERROR, STRING_TOO_LONG, INVALID_EMAIL_ADDRESS, MALFORMED_ID).
 */
export function coerceFieldValue(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw cannotDeserialize(field, value);
    case 'currency':
    case 'double':
    case 'percent':
    case 'int': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : Number.NaN;
      if (!Number.isFinite(n)) throw cannotDeserialize(field, value);
      if (field.type === 'int' && !Number.isInteger(n)) throw cannotDeserialize(field, value);
      return n;
    }
    case 'date':
      if (typeof value === 'string' && isValidDate(value)) return value;
      if (typeof value === 'string' && parseDateTime(value) !== undefined) return value.slice(0, 10);
      throw cannotDeserialize(field, value);
    case 'datetime': {
      const ms = typeof value === 'string' ? parseDateTime(value) : undefined;
      if (ms === undefined) throw cannotDeserialize(field, value);
      return toIsoDateTime(ms);
    }
    case 'id':
    case 'reference': {
      if (typeof value !== 'string') throw cannotDeserialize(field, value);
      if (value === '') return null;
      const id = normalizeSalesforceId(value);
      if (!id)
        throw new SalesforceApiError(
          400,
          'MALFORMED_ID',
          `${field.label}: id value of incorrect type: ${value}`,
          [field.name],
        );
      return id;
    }
    default: {
      if (typeof value === 'object') throw cannotDeserialize(field, value);
      const text = String(value);
      if (text === '') return null;
      if (text.length > field.length) {
        throw new SalesforceApiError(
          400,
          'STRING_TOO_LONG',
          `${field.label}: data value too large: ${text.slice(0, 40)} (max length=${field.length})`,
          [field.name],
        );
      }
      if (field.type === 'email' && !EMAIL.test(text)) {
        throw new SalesforceApiError(
          400,
          'INVALID_EMAIL_ADDRESS',
          `${field.label}: invalid email address: ${text}`,
          [field.name],
        );
      }
      if (field.restrictedPicklist && !field.picklistValues.includes(text)) {
        throw new SalesforceApiError(
          400,
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.label}: bad value for restricted picklist field: ${text}`,
          [field.name],
        );
      }
      return text;
    }
  }
}
