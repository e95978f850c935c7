/**
 * Route globs, shared by fault rules and ledger queries: "METHOD /path" where `*` matches any run of
 * characters (slashes included) and the method is optional or `*` (any method).
 *   "PATCH /services/data/*\/sobjects/*"  every PATCH below sobjects, in any API version
 *   "/api/v5/objects/prospects*"          any method
 * Methods compare case-insensitively, paths exactly; the query string is never part of the match.
 */
export interface RouteGlob {
  readonly source: string;
  matches(method: string, path: string): boolean;
}

const METHOD = /^([A-Za-z]+|\*)\s+(\S.*)$/;

export function compileRouteGlob(glob: string): RouteGlob {
  const trimmed = glob.trim();
  if (trimmed === '') throw new RangeError('a route glob must not be empty');
  const m = METHOD.exec(trimmed);
  const method = m ? (m[1] as string).toUpperCase() : '*';
  const pathGlob = m ? (m[2] as string) : trimmed;
  if (!pathGlob.startsWith('/') && pathGlob !== '*') {
    throw new RangeError(`route "${glob}" must look like "METHOD /path" or "/path" (with * as a wildcard)`);
  }
  const pattern = new RegExp(`^${pathGlob.split('*').map(escapeRegExp).join('.*')}$`);
  return {
    source: trimmed,
    matches: (reqMethod, path) =>
      (method === '*' || method === reqMethod.toUpperCase()) && pattern.test(path),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
