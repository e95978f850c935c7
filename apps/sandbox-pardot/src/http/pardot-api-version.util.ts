/** Which Pardot API a path belongs to: v5 JSON REST, or the legacy v3/v4 action grammar. */
export type PardotApiFlavour = 'v5' | 'legacy';

const LEGACY_PATH = /^\/api\/[A-Za-z]+\/version\/[^/]+\/do\//;
const LEGACY_OPERATION = /^\/api\/[A-Za-z]+\/version\/[^/]+\/do\/([A-Za-z]+)/;

export function apiFlavourOf(path: string): PardotApiFlavour {
  return LEGACY_PATH.test(path) ? 'legacy' : 'v5';
}

/** The v3/v4 operation ("read", "update", "batchUpsert", …) of a legacy path. */
export function legacyOperationOf(path: string): string | undefined {
  return LEGACY_OPERATION.exec(path)?.[1];
}

/** Whether a legacy request asked for JSON (`format=json` in the query string or the form body). */
export function wantsJson(query: Readonly<Record<string, unknown>>, body?: unknown): boolean {
  const fromBody =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['format'] : undefined;
  return query['format'] === 'json' || fromBody === 'json';
}
