import type {
  Condition,
  DateRangeName,
  FieldPath,
  Literal,
  OrderItem,
  SelectItem,
  SoqlQuery,
} from './soql-ast.types.js';
import { tokenize, type Token } from './soql-lexer.util.js';
import { soqlError } from './soql-query.error.js';
import { isValidDate, parseDateTime } from '../sobjects/sobject-values.util.js';

const RANGE_WITH_N = new Set<DateRangeName>(['LAST_N_DAYS', 'NEXT_N_DAYS']);
const RANGE_PLAIN = new Set<DateRangeName>([
  'TODAY',
  'YESTERDAY',
  'TOMORROW',
  'THIS_MONTH',
  'LAST_MONTH',
  'THIS_YEAR',
]);
const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'ORDER',
  'BY',
  'LIMIT',
  'OFFSET',
  'ASC',
  'DESC',
  'NULLS',
  'NULL',
  'TRUE',
  'FALSE',
]);

/**
 * Parses the SOQL subset connectors use: SELECT fields (with parent paths such as `Account.Name`,
 * child subqueries and COUNT()), FROM one object, WHERE with = != < > <= >= LIKE IN / NOT IN, AND,
 * OR, NOT and parentheses over string, number, boolean, null, date, datetime and date-range literals
 * (TODAY, LAST_N_DAYS:n, ...), ORDER BY with ASC/DESC and NULLS FIRST/LAST, LIMIT and OFFSET.
 * Anything else is MALFORMED_QUERY with Salesforce's row/column message.
 */
export function parseSoql(soql: string): SoqlQuery {
  const parser = new SoqlParser(soql);
  const query = parser.query(false);
  parser.expectEnd();
  return query;
}

class SoqlParser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly soql: string) {
    this.tokens = tokenize(soql);
  }

  query(nested: boolean): SoqlQuery {
    this.keyword('SELECT');
    const select = this.selectList();
    this.keyword('FROM');
    const fromToken = this.identifier();
    let where: Condition | undefined;
    let orderBy: OrderItem[] = [];
    let limit: number | undefined;
    let offset: number | undefined;
    if (this.isKeyword('WHERE')) {
      this.next();
      where = this.orCondition();
    }
    if (this.isKeyword('ORDER')) {
      this.next();
      this.keyword('BY');
      orderBy = this.orderList();
    }
    if (this.isKeyword('LIMIT')) {
      this.next();
      limit = this.integer();
    }
    if (this.isKeyword('OFFSET')) {
      this.next();
      offset = this.integer();
    }
    if (nested && !(this.peek().kind === 'punct' && this.peek().text === ')')) this.unexpected();
    return { select, from: { name: fromToken.text, pos: fromToken.pos }, where, orderBy, limit, offset };
  }

  expectEnd(): void {
    if (this.peek().kind !== 'eof') this.unexpected();
  }

  private selectList(): SelectItem[] {
    const items: SelectItem[] = [this.selectItem()];
    while (this.isPunct(',')) {
      this.next();
      items.push(this.selectItem());
    }
    return items;
  }

  private selectItem(): SelectItem {
    const token = this.peek();
    if (this.isPunct('(')) {
      this.next();
      const query = this.query(true);
      this.punct(')');
      return { kind: 'subquery', query, pos: token.pos };
    }
    if (token.kind === 'ident' && token.text.toUpperCase() === 'COUNT' && this.peek(1).text === '(') {
      this.next();
      this.punct('(');
      if (!this.isPunct(')'))
        throw soqlError(
          'MALFORMED_QUERY',
          this.soql,
          this.peek().pos,
          'COUNT() with a field name is an aggregate query, which this sandbox does not support',
        );
      this.punct(')');
      return { kind: 'count', pos: token.pos };
    }
    return this.fieldPath();
  }

  private fieldPath(): FieldPath {
    const first = this.identifier();
    const path = [first.text];
    while (this.isPunct('.')) {
      this.next();
      path.push(this.identifier().text);
    }
    return { kind: 'field', path, pos: first.pos };
  }

  private orCondition(): Condition {
    let left = this.andCondition();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.andCondition() };
    }
    return left;
  }

  private andCondition(): Condition {
    let left = this.notCondition();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.notCondition() };
    }
    return left;
  }

  private notCondition(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', operand: this.notCondition() };
    }
    if (this.isPunct('(')) {
      this.next();
      const inner = this.orCondition();
      this.punct(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const field = this.fieldPath();
    const token = this.peek();
    if (token.kind === 'op') {
      this.next();
      return {
        kind: 'compare',
        field,
        op: token.text as '=' | '!=' | '<' | '>' | '<=' | '>=',
        value: this.literal(),
      };
    }
    if (this.isKeyword('LIKE')) {
      this.next();
      return { kind: 'compare', field, op: 'LIKE', value: this.literal() };
    }
    let negated = false;
    if (this.isKeyword('NOT')) {
      this.next();
      negated = true;
      if (!this.isKeyword('IN')) this.unexpected();
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.punct('(');
      if (this.isKeyword('SELECT'))
        throw soqlError(
          'MALFORMED_QUERY',
          this.soql,
          this.peek().pos,
          'semi-join subqueries are not supported by this sandbox',
        );
      const values = [this.literal()];
      while (this.isPunct(',')) {
        this.next();
        values.push(this.literal());
      }
      this.punct(')');
      return { kind: 'in', field, negated, values };
    }
    return this.unexpected();
  }

  private literal(): Literal {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.text, pos: token.pos };
      case 'number':
        return { kind: 'number', value: Number(token.text), pos: token.pos };
      case 'date':
        if (!isValidDate(token.text))
          throw soqlError(
            'MALFORMED_QUERY',
            this.soql,
            token.pos,
            `line 1:${token.pos} no viable alternative at character '${token.text}'`,
          );
        return { kind: 'date', value: token.text, pos: token.pos };
      case 'datetime': {
        const ms = parseDateTime(token.text);
        if (ms === undefined)
          throw soqlError(
            'MALFORMED_QUERY',
            this.soql,
            token.pos,
            `line 1:${token.pos} no viable alternative at character '${token.text}'`,
          );
        return { kind: 'datetime', value: ms, pos: token.pos };
      }
      case 'ident': {
        const upper = token.text.toUpperCase();
        if (upper === 'NULL') return { kind: 'null', pos: token.pos };
        if (upper === 'TRUE' || upper === 'FALSE')
          return { kind: 'boolean', value: upper === 'TRUE', pos: token.pos };
        if (RANGE_PLAIN.has(upper as DateRangeName))
          return { kind: 'dateRange', name: upper as DateRangeName, n: 0, pos: token.pos };
        if (RANGE_WITH_N.has(upper as DateRangeName)) {
          this.punct(':');
          return { kind: 'dateRange', name: upper as DateRangeName, n: this.integer(), pos: token.pos };
        }
        throw soqlError('MALFORMED_QUERY', this.soql, token.pos, `unexpected token: '${token.text}'`);
      }
      default:
        throw soqlError('MALFORMED_QUERY', this.soql, token.pos, `unexpected token: '${token.text}'`);
    }
  }

  private orderList(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      if (items.length > 0) this.next();
      const field = this.fieldPath();
      let descending = false;
      if (this.isKeyword('ASC') || this.isKeyword('DESC'))
        descending = this.next().text.toUpperCase() === 'DESC';
      let nullsLast = descending;
      if (this.isKeyword('NULLS')) {
        this.next();
        const which = this.next();
        const upper = which.text.toUpperCase();
        if (upper !== 'FIRST' && upper !== 'LAST')
          throw soqlError('MALFORMED_QUERY', this.soql, which.pos, `unexpected token: '${which.text}'`);
        nullsLast = upper === 'LAST';
      }
      items.push({ field, descending, nullsLast });
    } while (this.isPunct(','));
    return items;
  }

  private integer(): number {
    const token = this.next();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text))
      throw soqlError('MALFORMED_QUERY', this.soql, token.pos, `unexpected token: '${token.text}'`);
    return Number(token.text);
  }

  private identifier(): Token {
    const token = this.next();
    if (token.kind !== 'ident' || RESERVED.has(token.text.toUpperCase()))
      throw soqlError('MALFORMED_QUERY', this.soql, token.pos, `unexpected token: '${token.text}'`);
    return token;
  }

  private keyword(word: string): void {
    if (!this.isKeyword(word)) this.unexpected();
    this.next();
  }

  private punct(text: string): void {
    if (!this.isPunct(text)) this.unexpected();
    this.next();
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index += 1;
    return token;
  }

  private unexpected(): never {
    const token = this.peek();
    throw soqlError('MALFORMED_QUERY', this.soql, token.pos, `unexpected token: '${token.text}'`);
  }
}
