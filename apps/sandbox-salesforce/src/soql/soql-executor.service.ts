import { normalizeSalesforceId } from '../sobjects/salesforce-id.util.js';
import {
  findChildRelationship,
  findField,
  findParentRelationship,
  findSObject,
} from '../sobjects/sobject-schema.util.js';
import type { FieldDef, SObjectApi, SObjectDef, SObjectRecord } from '../sobjects/sobject-schema.types.js';
import { toRestDateTime } from '../sobjects/sobject-values.util.js';
import type { Condition, FieldPath, Literal, SoqlQuery } from './soql-ast.types.js';
import { parseSoql } from './soql-parser.util.js';
import { soqlError } from './soql-query.error.js';

/** What the executor needs from the store. */
export interface RecordSource {
  all(type: string, options?: { includeDeleted?: boolean }): SObjectRecord[];
  getById(id: string, options?: { includeDeleted?: boolean }): SObjectRecord | undefined;
}

export interface QueryOutcome {
  /** Rows after WHERE, ORDER BY, OFFSET and LIMIT, already in the REST JSON shape. */
  readonly records: Record<string, unknown>[];
  readonly totalSize: number;
}

interface ResolvedField {
  readonly ast: FieldPath;
  /** Reference fields to follow, then the field to read. */
  readonly hops: readonly {
    readonly reference: FieldDef;
    readonly relationshipName: string;
    readonly parent: SObjectDef;
  }[];
  readonly field: FieldDef;
}

const STRING_TYPES = new Set(['id', 'reference', 'string', 'textarea', 'email', 'phone', 'url', 'picklist']);
const NUMBER_TYPES = new Set(['currency', 'double', 'int', 'percent']);
const DAY = 86_400_000;
const MAX_OFFSET = 2000;

/**
 * Runs SOQL against the store the way Salesforce answers it: names resolved case-insensitively
 * against the catalog (INVALID_FIELD / INVALID_TYPE otherwise), filter values type-checked
 * (INVALID_QUERY_FILTER_OPERATOR), text compared case-insensitively, nulls first on ascending order.
 */
export class SoqlExecutor {
  constructor(
    private readonly source: RecordSource,
    private readonly clock: () => number = Date.now,
  ) {}

  execute(
    soql: string,
    options: { apiVersion: string; includeDeleted: boolean; api?: SObjectApi },
  ): QueryOutcome {
    const query = parseSoql(soql);
    const def = findSObject(query.from.name, options.api);
    if (!def) {
      throw soqlError(
        'INVALID_TYPE',
        soql,
        query.from.pos,
        `sObject type '${query.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    const isCount = query.select.some((item) => item.kind === 'count');
    if (isCount && query.select.length > 1)
      throw soqlError(
        'MALFORMED_QUERY',
        soql,
        query.select[1]?.pos ?? 0,
        'COUNT() cannot be combined with other fields',
      );
    if (query.offset !== undefined && query.offset > MAX_OFFSET) {
      throw soqlError(
        'NUMBER_OUTSIDE_VALID_RANGE',
        soql,
        query.from.pos,
        `Maximum SOQL offset allowed is ${MAX_OFFSET}`,
      );
    }
    const rows = this.select(
      soql,
      def,
      query,
      this.source.all(def.name, { includeDeleted: options.includeDeleted }),
    );
    if (isCount) return { records: [], totalSize: rows.length };
    const project = this.projector(soql, def, query, options);
    return { records: rows.map(project), totalSize: rows.length };
  }

  /** WHERE, ORDER BY, OFFSET, LIMIT over candidate rows of one object. */
  private select(
    soql: string,
    def: SObjectDef,
    query: SoqlQuery,
    candidates: SObjectRecord[],
  ): SObjectRecord[] {
    const matches = query.where ? this.compileCondition(soql, def, query.where) : () => true;
    const order = query.orderBy.map((item) => ({ ...item, field: this.resolve(soql, def, item.field) }));
    const rows = candidates.filter(matches);
    rows.sort((a, b) => {
      for (const item of order) {
        const cmp = compareForSort(
          this.read(a, item.field),
          this.read(b, item.field),
          item.descending,
          item.nullsLast,
        );
        if (cmp !== 0) return cmp;
      }
      return String(a['Id']).localeCompare(String(b['Id']));
    });
    const start = query.offset ?? 0;
    return rows.slice(start, query.limit === undefined ? undefined : start + query.limit);
  }

  private projector(
    soql: string,
    def: SObjectDef,
    query: SoqlQuery,
    options: { apiVersion: string; includeDeleted: boolean },
  ): (row: SObjectRecord) => Record<string, unknown> {
    const seen = new Set<string>();
    const parts: ((row: SObjectRecord, out: Record<string, unknown>) => void)[] = [];
    for (const item of query.select) {
      if (item.kind === 'count') continue;
      if (item.kind === 'field') {
        const resolved = this.resolve(soql, def, item);
        const key = [...resolved.hops.map((h) => h.relationshipName), resolved.field.name].join('.');
        if (seen.has(key.toLowerCase()))
          throw soqlError('MALFORMED_QUERY', soql, item.pos, `duplicate field selected: ${key}`);
        seen.add(key.toLowerCase());
        parts.push((row, out) => this.writePath(row, out, resolved, options.apiVersion));
        continue;
      }
      const relation = findChildRelationship(def, item.query.from.name);
      const childDef = relation ? findSObject(relation.childSObject, def.api) : undefined;
      if (!relation || !childDef) {
        throw soqlError(
          'INVALID_TYPE',
          soql,
          item.query.from.pos,
          `Didn't understand relationship '${item.query.from.name}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      const childProject = this.projector(soql, childDef, item.query, options);
      // Validate the subquery's names once, even when no parent row matches.
      this.select(soql, childDef, item.query, []);
      parts.push((row, out) => {
        const children = this.source
          .all(childDef.name, { includeDeleted: options.includeDeleted })
          .filter((c) => c[relation.field] === row['Id']);
        const selected = this.select(soql, childDef, item.query, children);
        out[relation.relationshipName] =
          selected.length === 0
            ? null
            : { totalSize: selected.length, done: true, records: selected.map(childProject) };
      });
    }
    return (row) => {
      const out: Record<string, unknown> = { attributes: attributesOf(def.name, row, options.apiVersion) };
      for (const part of parts) part(row, out);
      return out;
    };
  }

  private writePath(
    row: SObjectRecord,
    out: Record<string, unknown>,
    resolved: ResolvedField,
    apiVersion: string,
  ): void {
    let target = out;
    let current: SObjectRecord | undefined = row;
    for (const hop of resolved.hops) {
      const parentId: unknown = current?.[hop.reference.name];
      const parent: SObjectRecord | undefined =
        typeof parentId === 'string' ? this.source.getById(parentId, { includeDeleted: true }) : undefined;
      if (!parent) {
        if (!(hop.relationshipName in target)) target[hop.relationshipName] = null;
        return;
      }
      const existing = target[hop.relationshipName];
      const nested =
        existing && typeof existing === 'object'
          ? (existing as Record<string, unknown>)
          : { attributes: attributesOf(hop.parent.name, parent, apiVersion) };
      target[hop.relationshipName] = nested;
      target = nested;
      current = parent;
    }
    target[resolved.field.name] = formatValue(resolved.field, current?.[resolved.field.name] ?? null);
  }

  private resolve(soql: string, def: SObjectDef, ast: FieldPath): ResolvedField {
    const hops: { reference: FieldDef; relationshipName: string; parent: SObjectDef }[] = [];
    let current = def;
    const path = [...ast.path];
    // `SELECT Account.Name FROM Account` may prefix a field with the object's own name.
    if (
      path.length > 1 &&
      path[0]?.toLowerCase() === def.name.toLowerCase() &&
      !findParentRelationship(def, path[0])
    )
      path.shift();
    for (const segment of path.slice(0, -1)) {
      const relation = findParentRelationship(current, segment);
      if (!relation) {
        throw soqlError(
          'INVALID_FIELD',
          soql,
          ast.pos,
          `Didn't understand relationship '${segment}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      hops.push({
        reference: relation.field,
        relationshipName: relation.field.relationshipName ?? segment,
        parent: relation.parent,
      });
      current = relation.parent;
    }
    const name = path[path.length - 1] ?? '';
    const field = findField(current, name);
    if (!field) {
      throw soqlError(
        'INVALID_FIELD',
        soql,
        ast.pos,
        `No such column '${name}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    return { ast, hops, field };
  }

  private read(row: SObjectRecord, resolved: ResolvedField): unknown {
    let current: SObjectRecord | undefined = row;
    for (const hop of resolved.hops) {
      const parentId: unknown = current?.[hop.reference.name];
      current =
        typeof parentId === 'string' ? this.source.getById(parentId, { includeDeleted: true }) : undefined;
      if (!current) return null;
    }
    return current[resolved.field.name] ?? null;
  }

  private compileCondition(
    soql: string,
    def: SObjectDef,
    condition: Condition,
  ): (row: SObjectRecord) => boolean {
    switch (condition.kind) {
      case 'and': {
        const left = this.compileCondition(soql, def, condition.left);
        const right = this.compileCondition(soql, def, condition.right);
        return (row) => left(row) && right(row);
      }
      case 'or': {
        const left = this.compileCondition(soql, def, condition.left);
        const right = this.compileCondition(soql, def, condition.right);
        return (row) => left(row) || right(row);
      }
      case 'not': {
        const operand = this.compileCondition(soql, def, condition.operand);
        return (row) => !operand(row);
      }
      case 'in': {
        const field = this.resolve(soql, def, condition.field);
        const tests = condition.values.map((value) => this.comparator(soql, field, '=', value));
        return (row) => {
          const value = this.read(row, field);
          const found = tests.some((test) => test(value));
          return condition.negated ? !found : found;
        };
      }
      case 'compare': {
        const field = this.resolve(soql, def, condition.field);
        const test = this.comparator(soql, field, condition.op, condition.value);
        return (row) => test(this.read(row, field));
      }
    }
  }

  /** Type-checks one filter literal against its field and returns the test for a stored value. */
  private comparator(
    soql: string,
    resolved: ResolvedField,
    op: string,
    literal: Literal,
  ): (value: unknown) => boolean {
    const field = resolved.field;
    const typeName =
      field.type === 'datetime'
        ? 'dateTime'
        : STRING_TYPES.has(field.type)
          ? 'string'
          : NUMBER_TYPES.has(field.type)
            ? 'double'
            : field.type;
    const mismatch: () => never = () => {
      throw soqlError(
        'INVALID_QUERY_FILTER_OPERATOR',
        soql,
        literal.pos,
        `value of filter criterion for field '${field.name}' must be of type ${typeName} and ${typeName === 'string' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes'}`,
      );
    };
    if (literal.kind === 'null') {
      if (op !== '=' && op !== '!=') mismatch();
      return op === '=' ? (v) => v === null : (v) => v !== null;
    }
    if (op === 'LIKE') {
      if (!STRING_TYPES.has(field.type) || literal.kind !== 'string') {
        throw soqlError(
          'INVALID_QUERY_FILTER_OPERATOR',
          soql,
          literal.pos,
          `invalid operator on ${field.type} field: ${field.name}`,
        );
      }
      const pattern = likeToRegExp(literal.value);
      return (v) => typeof v === 'string' && pattern.test(v);
    }
    if (STRING_TYPES.has(field.type)) {
      if (literal.kind !== 'string') mismatch();
      const wanted =
        field.type === 'id' || field.type === 'reference'
          ? (normalizeSalesforceId(literal.value) ?? literal.value)
          : literal.value;
      return (v) =>
        v === null
          ? op === '!='
          : compareOp(op, (v as string).toLowerCase().localeCompare(wanted.toLowerCase()));
    }
    if (NUMBER_TYPES.has(field.type)) {
      if (literal.kind !== 'number') mismatch();
      return (v) => (v === null ? op === '!=' : compareOp(op, Math.sign((v as number) - literal.value)));
    }
    if (field.type === 'boolean') {
      if (literal.kind !== 'boolean' || (op !== '=' && op !== '!=')) mismatch();
      return (v) => (op === '=' ? v === literal.value : v !== literal.value);
    }
    // date and datetime
    const toMs =
      field.type === 'date'
        ? (v: unknown) => Date.parse(`${v as string}T00:00:00Z`)
        : (v: unknown) => Date.parse(v as string);
    if (literal.kind === 'dateRange') {
      const [start, end] = dateRange(literal.name, literal.n, this.clock());
      return (v) => (v === null ? op === '!=' : rangeOp(op, toMs(v), start, end));
    }
    if (field.type === 'date' && literal.kind === 'date') {
      const wanted = Date.parse(`${literal.value}T00:00:00Z`);
      return (v) => (v === null ? op === '!=' : compareOp(op, Math.sign(toMs(v) - wanted)));
    }
    if (field.type === 'datetime' && literal.kind === 'datetime') {
      return (v) => (v === null ? op === '!=' : compareOp(op, Math.sign(toMs(v) - literal.value)));
    }
    return mismatch();
  }
}

function compareOp(op: string, cmp: number): boolean {
  switch (op) {
    case '=':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '<':
      return cmp < 0;
    case '>':
      return cmp > 0;
    case '<=':
      return cmp <= 0;
    default:
      return cmp >= 0;
  }
}

/** A value against a date range [start, end): `=` means within it, `>` after it, `<` before it. */
function rangeOp(op: string, ms: number, start: number, end: number): boolean {
  switch (op) {
    case '=':
      return ms >= start && ms < end;
    case '!=':
      return ms < start || ms >= end;
    case '<':
      return ms < start;
    case '>':
      return ms >= end;
    case '<=':
      return ms < end;
    default:
      return ms >= start;
  }
}

/** Date literals are evaluated in UTC (the sandbox user's time zone is GMT). */
function dateRange(name: string, n: number, now: number): [number, number] {
  const today = Math.floor(now / DAY) * DAY;
  const d = new Date(today);
  switch (name) {
    case 'TODAY':
      return [today, today + DAY];
    case 'YESTERDAY':
      return [today - DAY, today];
    case 'TOMORROW':
      return [today + DAY, today + 2 * DAY];
    case 'LAST_N_DAYS':
      return [today - n * DAY, today + DAY];
    case 'NEXT_N_DAYS':
      return [today + DAY, today + (n + 1) * DAY];
    case 'THIS_MONTH':
      return [
        Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
        Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
      ];
    case 'LAST_MONTH':
      return [
        Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1),
        Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
      ];
    default:
      return [Date.UTC(d.getUTCFullYear(), 0, 1), Date.UTC(d.getUTCFullYear() + 1, 0, 1)];
  }
}

function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern.charAt(i + 1));
      i += 1;
    } else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 'is');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compareForSort(a: unknown, b: unknown, descending: boolean, nullsLast: boolean): number {
  if (a === null && b === null) return 0;
  if (a === null) return nullsLast ? 1 : -1;
  if (b === null) return nullsLast ? -1 : 1;
  let cmp: number;
  if (typeof a === 'number' && typeof b === 'number') cmp = a - b;
  else if (typeof a === 'boolean' && typeof b === 'boolean') cmp = Number(a) - Number(b);
  else cmp = String(a).toLowerCase().localeCompare(String(b).toLowerCase());
  return descending ? -cmp : cmp;
}

export function attributesOf(
  type: string,
  row: SObjectRecord,
  apiVersion: string,
): { type: string; url: string } {
  return { type, url: `/services/data/v${apiVersion}/sobjects/${type}/${String(row['Id'])}` };
}

/** A stored value in the REST JSON form (datetimes as `…+0000`). */
export function formatValue(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.type === 'datetime' && typeof value === 'string') return toRestDateTime(value);
  return value;
}
