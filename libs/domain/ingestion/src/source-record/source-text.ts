/**
 * Text a source may send that no store downstream can keep: a NUL character (PostgreSQL `text` refuses
 * it, error 22021) and a lone UTF-16 surrogate (`"\ud800"` is valid JSON, but no UTF-8 encoding exists
 * for it: it would be stored as U+FFFD). Bytes that are not UTF-8 at all are refused by the HTTP edges
 * before parsing (a JSON parser would have replaced them with U+FFFD already).
 */
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored, or undefined when it can. */
export function unstorableTextProblem(text: string): string | undefined {
  if (NUL.test(text)) return 'contains a NUL character';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

/**
 * One problem per key or string value, at any depth of a record from a source, that cannot be stored
 * (see {@link unstorableTextProblem}), e.g. `record.BPCNAM: contains a NUL character`. At most `limit`
 * problems are listed.
 */
export function unstorableTextProblems(record: unknown, prefix = '', limit = 10): string[] {
  const problems: string[] = [];
  const seen = new Set<object>();
  const at = (path: string): string => (path === '' ? '(the value)' : path);
  const visit = (value: unknown, path: string, depth: number): void => {
    if (problems.length >= limit) return;
    if (typeof value === 'string') {
      const problem = unstorableTextProblem(value);
      if (problem) problems.push(`${at(path)}: ${problem}`);
      return;
    }
    if (value === null || typeof value !== 'object' || depth > 64 || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, index) =>
        visit(item, path === '' ? String(index) : `${path}.${index}`, depth + 1),
      );
      return;
    }
    for (const key of Object.keys(value)) {
      const next = path === '' ? key : `${path}.${key}`;
      const keyProblem = unstorableTextProblem(key);
      if (keyProblem) {
        if (problems.length < limit) problems.push(`${JSON.stringify(next)} (a field name): ${keyProblem}`);
        continue;
      }
      visit((value as Record<string, unknown>)[key], next, depth + 1);
    }
  };
  visit(record, prefix, 0);
  return problems;
}
