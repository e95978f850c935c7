import { soqlError } from './soql-query.error.js';

export type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'op' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Text as written (for strings: the unescaped value). */
  readonly text: string;
  readonly pos: number;
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^-?\d+(?:\.\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  _: '\\_',
  '%': '\\%',
};

/** Splits SOQL text into tokens; an unterminated string or a stray character is MALFORMED_QUERY. */
export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const c = soql.charAt(i);
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const rest = soql.slice(i);
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < soql.length; j += 1) {
        const d = soql.charAt(j);
        if (d === '\\') {
          const next = soql.charAt(j + 1);
          const escaped = ESCAPES[next];
          if (escaped === undefined)
            throw soqlError(
              'MALFORMED_QUERY',
              soql,
              j,
              `Invalid string literal '${soql.slice(i, j + 2)}'. Illegal character sequence '\\${next}' in string literal.`,
            );
          value += escaped;
          j += 1;
        } else if (d === "'") {
          break;
        } else {
          value += d;
        }
      }
      if (j >= soql.length)
        throw soqlError('MALFORMED_QUERY', soql, i, `line 1:${i} mismatched character '<EOF>' expecting '''`);
      tokens.push({ kind: 'string', text: value, pos: i });
      i = j + 1;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      tokens.push({ kind: 'datetime', text: datetime[0], pos: i });
      i += datetime[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      tokens.push({ kind: 'date', text: date[0], pos: i });
      i += date[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', text: number[0], pos: i });
      i += number[0].length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], pos: i });
      i += ident[0].length;
      continue;
    }
    const two = rest.slice(0, 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two === '<>' ? '!=' : two, pos: i });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      tokens.push({ kind: 'op', text: c, pos: i });
      i += 1;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '.' || c === ':') {
      tokens.push({ kind: 'punct', text: c, pos: i });
      i += 1;
      continue;
    }
    throw soqlError('MALFORMED_QUERY', soql, i, `unexpected token: '${c}'`);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', pos: soql.length });
  return tokens;
}
