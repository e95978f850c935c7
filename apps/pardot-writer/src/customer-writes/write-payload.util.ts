import type { WritePayload } from './customer-write-target.js';

/** JSON with sorted keys: two payloads are the same values when their texts are equal. */
export function canonicalPayloadJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalPayloadJson).join(',')}]`;
  return `{${Object.keys(value as Record<string, unknown>)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalPayloadJson((value as Record<string, unknown>)[key])}`)
    .join(',')}}`;
}

/**
 * The fields of `next` to send given what was `written` last: those whose value changed (null to clear
 * one). Without an earlier write, every field of `next`.
 */
export function changedValues(
  next: WritePayload,
  written: WritePayload | undefined,
): Record<string, unknown> {
  if (!written) return { ...next };
  // Object.fromEntries defines own properties: a "__proto__" field stays a field, never a prototype.
  return Object.fromEntries(
    Object.entries(next).filter(
      ([field, value]) => canonicalPayloadJson(value) !== canonicalPayloadJson(written[field]),
    ),
  );
}
