import { formatValue } from '../soql/soql-executor.service.js';
import type { SObjectDef, SObjectRecord } from '../sobjects/sobject-schema.types.js';

/** A record as `GET /sobjects/{type}/{id}` returns it: attributes, then every field (or `fields`). */
export function toRestRecord(
  def: SObjectDef,
  record: SObjectRecord,
  apiVersion: string,
  fields?: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: def.name, url: recordUrl(def.name, String(record['Id']), apiVersion) },
  };
  const selected = fields
    ? def.fields.filter((f) => fields.some((name) => name.toLowerCase() === f.name.toLowerCase()))
    : def.fields;
  for (const field of selected) out[field.name] = formatValue(field, record[field.name]);
  return out;
}

export function recordUrl(type: string, id: string, apiVersion: string): string {
  return `/services/data/v${apiVersion}/sobjects/${type}/${id}`;
}
