/** v5 date-times: ISO 8601 with an offset and no fraction, e.g. 2026-11-26T10:00:00+00:00 (apis.md §2.2). */
export function v5DateTime(date: Date | null | undefined): string | null {
  if (!date) return null;
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

/** v3/v4 date-times: "YYYY-MM-DD HH:MM:SS" in the account's time zone (UTC here). */
export function legacyDateTime(date: Date | null | undefined): string | null {
  if (!date) return null;
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

const ISO_WITH_OFFSET = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses a v5 date-time parameter (ISO 8601; an offset is expected, UTC assumed without one). */
export function parseV5DateTime(text: string): Date | undefined {
  const m = ISO_WITH_OFFSET.exec(text.trim());
  if (!m) return undefined;
  const withZone = m[2] && !m[5] ? `${text.trim()}Z` : text.trim();
  const date = new Date(withZone);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
