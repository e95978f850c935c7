import { PardotApiError } from '../errors/pardot-api.error.js';
import type { PageTokenStore } from './page-token.store.js';
import { parseV5DateTime } from './v5-format.util.js';

export type SortValue = number | string | null;
type FilterType = 'integer' | 'datetime' | 'string';

/** How one v5 object collection can be selected, filtered, sorted and rendered. */
export interface V5ObjectSpec<T> {
  /** Name used to tie page tokens to the collection, e.g. "prospects". */
  readonly resource: string;
  /** Fields a client may name in `fields` (dot notation for related objects). */
  isSelectable(field: string): boolean;
  /** Filterable fields: `id` accepts id, idGreaterThan, …; a date-time `updatedAt` accepts updatedAtAfter, …. */
  readonly filters: Readonly<
    Record<string, { readonly type: FilterType; value(item: T): number | string | Date | null }>
  >;
  /** Fields `orderBy` accepts (id is always the last tie-breaker). */
  readonly sortable: Readonly<Record<string, (item: T) => SortValue>>;
  /** Other parameters turning into a predicate (e.g. prospects' `deleted`), and the default when absent. */
  readonly options?: Readonly<
    Record<string, { parse(raw: string): (item: T) => boolean; absent: (item: T) => boolean }>
  >;
  render(item: T, fields: readonly string[]): Record<string, unknown>;
}

export interface V5Page {
  readonly values: Record<string, unknown>[];
  readonly nextPageToken: string | null;
  readonly nextPageUrl: string | null;
}

export interface V5QueryOutcome {
  readonly page: V5Page;
  /** Set when the 100,000-record token chain ceiling stopped paging (Pardot-Warning 203). */
  readonly warning?: string;
}

interface QueryState<T> {
  readonly predicates: readonly ((item: T) => boolean)[];
  readonly order: readonly { readonly field: string; readonly desc: boolean }[];
  readonly limit: number;
  readonly after: readonly SortValue[] | null;
}

export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 1_000;
export const MAX_FILTERED_FIELDS = 3;
export const MAX_RECORDS_PER_TOKEN_CHAIN = 100_000;

const OPERATORS: Readonly<Record<FilterType, readonly [suffix: string, op: Op][]>> = {
  integer: [
    ['', 'eq'],
    ['GreaterThan', 'gt'],
    ['GreaterThanOrEqualTo', 'ge'],
    ['LessThan', 'lt'],
    ['LessThanOrEqualTo', 'le'],
  ],
  datetime: [
    ['', 'eq'],
    ['After', 'gt'],
    ['AfterOrEqualTo', 'ge'],
    ['Before', 'lt'],
    ['BeforeOrEqualTo', 'le'],
  ],
  string: [['', 'eq']],
};
type Op = 'eq' | 'gt' | 'ge' | 'lt' | 'le';

/** The required `fields` parameter: a comma list of selectable fields (13 when missing, 5 when unknown). */
export function parseFields(raw: unknown, isSelectable: (field: string) => boolean): string[] {
  if (Array.isArray(raw)) throw PardotApiError.badRequest(5, 'give "fields" once, as a comma-separated list');
  if (typeof raw !== 'string' || raw.trim() === '')
    throw PardotApiError.badRequest(13, 'the "fields" parameter is required, e.g. fields=id,email');
  const fields = raw
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = fields.filter((f) => !isSelectable(f));
  if (unknown.length > 0)
    throw PardotApiError.badRequest(
      5,
      `unknown field${unknown.length > 1 ? 's' : ''} in "fields": ${unknown.join(', ')}`,
    );
  return fields;
}

/**
 * A v5 query: `fields` (required), filters, `orderBy`, `limit` (≤ 1000, default 200) and
 * `nextPageToken` paging, with Pardot's rules: only `fields` may accompany a page token; at most three
 * fields carry filters; a token chain stops after 100,000 records.
 */
export function runV5Query<T>(
  spec: V5ObjectSpec<T>,
  items: Iterable<T>,
  query: Readonly<Record<string, unknown>>,
  tokens: PageTokenStore,
  pageUrlBase: string,
): V5QueryOutcome {
  const fields = parseFields(query['fields'], (f) => spec.isSelectable(f));
  let state: QueryState<T>;
  let returned = 0;
  const token = query['nextPageToken'];
  if (token !== undefined) {
    const others = Object.keys(query).filter((k) => k !== 'fields' && k !== 'nextPageToken');
    if (others.length > 0)
      throw PardotApiError.badRequest(
        5,
        `only "fields" may accompany nextPageToken, not ${others.join(', ')}`,
      );
    if (typeof token !== 'string' || token === '') throw PardotApiError.badRequest(211);
    const cursor = tokens.redeem(token, spec.resource);
    if (cursor === 'invalid') throw PardotApiError.badRequest(211);
    if (cursor === 'expired') throw PardotApiError.badRequest(210);
    state = cursor.state as QueryState<T>;
    returned = cursor.returned;
  } else {
    state = parseQueryState(spec, query);
  }

  const keyed = [...items]
    .filter((item) => state.predicates.every((p) => p(item)))
    .map((item) => ({ item, key: sortKey(spec, state, item) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key, state));
  const start = state.after ? firstAfter(keyed, state.after, state) : 0;
  const slice = keyed.slice(start, start + state.limit);
  const more = keyed.length > start + state.limit;
  const sent = returned + slice.length;
  let nextPageToken: string | null = null;
  let warning: string | undefined;
  if (more && sent >= MAX_RECORDS_PER_TOKEN_CHAIN) {
    warning = '203;Record count for nextPageToken sequence has been exceeded. No page token returned.';
  } else if (more) {
    const last = slice[slice.length - 1];
    nextPageToken = tokens.issue({
      resource: spec.resource,
      state: { ...state, after: last?.key ?? null },
      returned: sent,
    });
  }
  return {
    page: {
      values: slice.map(({ item }) => spec.render(item, fields)),
      nextPageToken,
      nextPageUrl: nextPageToken
        ? `${pageUrlBase}?fields=${encodeURIComponent(fields.join(','))}&nextPageToken=${nextPageToken}`
        : null,
    },
    ...(warning ? { warning } : {}),
  };
}

function parseQueryState<T>(spec: V5ObjectSpec<T>, query: Readonly<Record<string, unknown>>): QueryState<T> {
  const predicates: ((item: T) => boolean)[] = [];
  const filtered = new Set<string>();
  const filterParams = new Map<string, { field: string; op: Op; type: FilterType }>();
  for (const [field, def] of Object.entries(spec.filters)) {
    for (const [suffix, op] of OPERATORS[def.type])
      filterParams.set(`${field}${suffix}`, { field, op, type: def.type });
  }
  const options = spec.options ?? {};
  for (const [key, raw] of Object.entries(query)) {
    if (key === 'fields' || key === 'limit' || key === 'orderBy') continue;
    if (Array.isArray(raw) || typeof raw !== 'string')
      throw PardotApiError.badRequest(5, `give "${key}" once`);
    const option = options[key];
    if (option) {
      predicates.push(option.parse(raw));
      continue;
    }
    const filter = filterParams.get(key);
    if (!filter) throw PardotApiError.badRequest(5, `"${key}" is not a parameter of this query`);
    filtered.add(filter.field);
    const value = parseFilterValue(key, filter.type, raw);
    const get = spec.filters[filter.field]?.value as (item: T) => number | string | Date | null;
    predicates.push((item) => matches(normalise(get(item)), filter.op, value));
  }
  if (filtered.size > MAX_FILTERED_FIELDS) throw PardotApiError.badRequest(209);
  for (const [key, option] of Object.entries(options))
    if (query[key] === undefined) predicates.push(option.absent);
  return {
    predicates,
    order: parseOrderBy(spec, query['orderBy']),
    limit: parseLimit(query['limit']),
    after: null,
  };
}

function parseLimit(raw: unknown): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE)
    throw PardotApiError.badRequest(23, `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  return n;
}

function parseOrderBy<T>(spec: V5ObjectSpec<T>, raw: unknown): { field: string; desc: boolean }[] {
  if (raw === undefined) return [];
  if (typeof raw !== 'string' || raw.trim() === '')
    throw PardotApiError.badRequest(5, 'orderBy must name a field, e.g. orderBy=updatedAt desc');
  return raw.split(',').map((part) => {
    const [field = '', direction = 'asc', ...rest] = part.trim().split(/\s+/);
    const dir = direction.toLowerCase();
    if (!(field in spec.sortable) || (dir !== 'asc' && dir !== 'desc') || rest.length > 0) {
      throw PardotApiError.badRequest(
        5,
        `cannot order by "${part.trim()}"; sortable: ${Object.keys(spec.sortable).join(', ')} (asc|desc)`,
      );
    }
    return { field, desc: dir === 'desc' };
  });
}

function parseFilterValue(key: string, type: FilterType, raw: string): number | string {
  if (type === 'integer') {
    if (!/^-?\d+$/.test(raw.trim())) throw PardotApiError.badRequest(5, `${key} must be a whole number`);
    return Number(raw);
  }
  if (type === 'datetime') {
    const date = parseV5DateTime(raw);
    if (!date)
      throw PardotApiError.badRequest(
        7,
        `${key} must be an ISO 8601 date-time with offset, e.g. 2026-11-26T10:00:00+00:00`,
      );
    return date.getTime();
  }
  return raw;
}

function normalise(value: number | string | Date | null): number | string | null {
  return value instanceof Date ? value.getTime() : value;
}

function matches(actual: number | string | null, op: Op, wanted: number | string): boolean {
  if (actual === null) return false;
  switch (op) {
    case 'eq':
      return typeof actual === 'string' && typeof wanted === 'string'
        ? actual.toLowerCase() === wanted.toLowerCase()
        : actual === wanted;
    case 'gt':
      return actual > wanted;
    case 'ge':
      return actual >= wanted;
    case 'lt':
      return actual < wanted;
    case 'le':
      return actual <= wanted;
  }
}

function sortKey<T>(spec: V5ObjectSpec<T>, state: QueryState<T>, item: T): SortValue[] {
  const id = spec.sortable['id'];
  return [...state.order.map((o) => spec.sortable[o.field]?.(item) ?? null), id ? id(item) : null];
}

function compareKeys<T>(a: readonly SortValue[], b: readonly SortValue[], state: QueryState<T>): number {
  for (let i = 0; i < a.length; i++) {
    const desc = state.order[i]?.desc ?? false;
    const cmp = compareValues(a[i] ?? null, b[i] ?? null);
    if (cmp !== 0) return desc ? -cmp : cmp;
  }
  return 0;
}

function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function firstAfter<T>(
  keyed: readonly { key: SortValue[] }[],
  after: readonly SortValue[],
  state: QueryState<T>,
): number {
  const index = keyed.findIndex((k) => compareKeys(k.key, after, state) > 0);
  return index < 0 ? keyed.length : index;
}
