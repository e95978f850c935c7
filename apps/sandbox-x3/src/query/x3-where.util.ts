import { X3HttpError } from '../errors/x3-http.error.js';
import type { X3FieldType } from '../catalog/x3-class-catalog.constants.js';
import type { X3Value } from '../store/x3-record.types.js';

/**
 * The api1 `where` predicate language, as far as connectors use it:
 *   comparisons  PROP eq|ne|lt|le|gt|ge|like VALUE   (like: % matches any characters)
 *   values       'text' ('' for a quote), numbers, @2025-06-06T00:00:01Z@ date-times, properties
 *   functions    left(PROP, n), right(PROP, n), upper(PROP), lower(PROP)
 *   logic        and, or, not, parentheses
 * Syntax errors answer 400; a property the class does not have answers 500, as X3 endpoints do.
 */
export type WherePredicate = (get: (field: string) => X3Value) => boolean;

type Token =
  | { kind: 'ident'; text: string; pos: number }
  | { kind: 'string'; text: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'datetime'; value: number; text: string; pos: number }
  | { kind: 'punct'; text: '(' | ')' | ','; pos: number };

type Operand =
  | { kind: 'field'; name: string; type: X3FieldType }
  | { kind: 'literal'; value: string | number; datetime?: boolean }
  | { kind: 'call'; fn: string; args: Operand[] };

const COMPARATORS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'like']);
const FUNCTIONS: Readonly<Record<string, number>> = { left: 2, right: 2, upper: 1, lower: 1 };

export function parseWhere(
  text: string,
  fieldType: (name: string) => X3FieldType | undefined,
): WherePredicate {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const fail = (message: string, token = peek()): never => {
    throw new X3HttpError(
      400,
      `Syntax error in where clause at position ${token ? token.pos + 1 : text.length + 1}: ${message}`,
    );
  };
  const isWord = (t: Token | undefined, word: string): boolean =>
    t?.kind === 'ident' && t.text.toLowerCase() === word;

  const operand = (): Operand => {
    const t = peek();
    if (!t) return fail('a property or a value is missing');
    i++;
    if (t.kind === 'string') return { kind: 'literal', value: t.text };
    if (t.kind === 'number') return { kind: 'literal', value: t.value };
    if (t.kind === 'datetime') return { kind: 'literal', value: t.value, datetime: true };
    if (t.kind === 'punct') return fail(`unexpected "${t.text}"`, t);
    const fn = FUNCTIONS[t.text.toLowerCase()];
    if (fn !== undefined && tokens[i]?.kind === 'punct' && (tokens[i] as { text: string }).text === '(') {
      i++;
      const args: Operand[] = [];
      for (;;) {
        args.push(operand());
        const next = peek();
        if (next?.kind === 'punct' && next.text === ',') {
          i++;
          continue;
        }
        if (next?.kind === 'punct' && next.text === ')') {
          i++;
          break;
        }
        return fail('"," or ")" expected in the function call');
      }
      if (args.length !== fn) fail(`${t.text}() takes ${fn} argument${fn > 1 ? 's' : ''}`, t);
      return { kind: 'call', fn: t.text.toLowerCase(), args };
    }
    const type = fieldType(t.text);
    if (!type) throw new X3HttpError(500, `Property ${t.text} does not exist`);
    return { kind: 'field', name: t.text, type };
  };

  const comparison = (): WherePredicate => {
    const left = operand();
    const op = peek();
    if (!op || op.kind !== 'ident' || !COMPARATORS.has(op.text.toLowerCase()))
      return fail('a comparison (eq, ne, lt, le, gt, ge, like) is expected');
    i++;
    const right = operand();
    return compare(left, op.text.toLowerCase(), right);
  };

  const primary = (): WherePredicate => {
    const t = peek();
    if (t?.kind === 'punct' && t.text === '(') {
      i++;
      const inner = or();
      const close = peek();
      if (close?.kind !== 'punct' || close.text !== ')') fail('")" expected');
      i++;
      return inner;
    }
    if (isWord(t, 'not')) {
      i++;
      const inner = primary();
      return (get) => !inner(get);
    }
    return comparison();
  };

  const and = (): WherePredicate => {
    let left = primary();
    while (isWord(peek(), 'and')) {
      i++;
      const a = left;
      const b = primary();
      left = (get) => a(get) && b(get);
    }
    return left;
  };

  const or = (): WherePredicate => {
    let left = and();
    while (isWord(peek(), 'or')) {
      i++;
      const a = left;
      const b = and();
      left = (get) => a(get) || b(get);
    }
    return left;
  };

  if (tokens.length === 0) fail('the clause is empty');
  const predicate = or();
  if (i < tokens.length) fail(`unexpected "${describe(tokens[i] as Token)}"`);
  return predicate;
}

function compare(left: Operand, op: string, right: Operand): WherePredicate {
  const temporal = isTemporal(left) || isTemporal(right);
  return (get) => {
    const a = evaluate(left, get, temporal);
    const b = evaluate(right, get, temporal);
    if (a === null || b === null) return op === 'ne' ? a !== b : op === 'eq' ? a === b : false;
    if (op === 'like') return likePattern(String(b)).test(String(a));
    const cmp = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
    switch (op) {
      case 'eq':
        return cmp === 0;
      case 'ne':
        return cmp !== 0;
      case 'lt':
        return cmp < 0;
      case 'le':
        return cmp <= 0;
      case 'gt':
        return cmp > 0;
      default:
        return cmp >= 0;
    }
  };
}

function isTemporal(o: Operand): boolean {
  return (
    (o.kind === 'field' && (o.type === 'datetime' || o.type === 'date')) ||
    (o.kind === 'literal' && o.datetime === true)
  );
}

/** Date-time comparisons happen in epoch milliseconds, so '2026-11-26' and @2026-11-26T00:00:00Z@ compare alike. */
function evaluate(o: Operand, get: (field: string) => X3Value, temporal: boolean): string | number | null {
  let value: string | number | null;
  if (o.kind === 'literal') value = o.value;
  else if (o.kind === 'field') value = get(o.name);
  else {
    const arg = evaluate(o.args[0] as Operand, get, false);
    const n = o.args[1] ? Number(evaluate(o.args[1], get, false)) : 0;
    const s = arg === null ? null : String(arg);
    value =
      s === null
        ? null
        : o.fn === 'left'
          ? s.slice(0, n)
          : o.fn === 'right'
            ? s.slice(Math.max(0, s.length - n))
            : o.fn === 'upper'
              ? s.toUpperCase()
              : s.toLowerCase();
  }
  if (temporal && typeof value === 'string') {
    const ms = utcMillis(value);
    return Number.isNaN(ms) ? value : ms;
  }
  return value;
}

/** Epoch milliseconds of an ISO date or date-time; without an offset it is UTC (X3 stores UTC). */
function utcMillis(text: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T00:00:00Z`);
  return Date.parse(/T[\d:.]+$/.test(text) ? `${text}Z` : text);
}

function likePattern(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('%')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    's',
  );
}

function describe(t: Token): string {
  return t.kind === 'number' ? String(t.value) : t.kind === 'datetime' ? `@${t.text}@` : t.text;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c, pos });
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length)
          throw new X3HttpError(
            400,
            `Syntax error in where clause at position ${pos + 1}: unterminated string`,
          );
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ kind: 'string', text: value, pos });
    } else if (c === '@') {
      const end = text.indexOf('@', i + 1);
      const raw = end > 0 ? text.slice(i + 1, end) : '';
      const ms = utcMillis(raw);
      if (
        end < 0 ||
        !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) ||
        Number.isNaN(ms)
      ) {
        throw new X3HttpError(
          400,
          `Syntax error in where clause at position ${pos + 1}: date-times are written @2025-06-06T00:00:01Z@`,
        );
      }
      tokens.push({ kind: 'datetime', value: ms, text: raw, pos });
      i = end + 1;
    } else if (/[0-9-]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(text.slice(i));
      if (!m)
        throw new X3HttpError(400, `Syntax error in where clause at position ${pos + 1}: unexpected "${c}"`);
      tokens.push({ kind: 'number', value: Number(m[0]), pos });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'ident', text: m[0], pos });
      i += m[0].length;
    } else {
      throw new X3HttpError(400, `Syntax error in where clause at position ${pos + 1}: unexpected "${c}"`);
    }
  }
  return tokens;
}
