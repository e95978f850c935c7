import { X3_CLASSES, fieldOf, type X3ClassDef } from '../catalog/x3-class-catalog.constants.js';
import { X3HttpError } from '../errors/x3-http.error.js';
import type { X3Record, X3Value } from '../store/x3-record.types.js';
import { parseWhere, type WherePredicate } from './x3-where.util.js';

export const DEFAULT_QUERY_COUNT = 20;
export const MAX_QUERY_COUNT = 1_000;

/** Parameters of a $query besides `representation`. */
const QUERY_PARAMETERS = new Set(['representation', 'count', 'where', 'orderBy', 'key', 'startIndex']);

export interface X3QueryRequest {
  readonly def: X3ClassDef;
  readonly records: Iterable<X3Record>;
  readonly query: Readonly<Record<string, unknown>>;
  /** e.g. http://127.0.0.1:4300/api1/x3/erp/SEED/BPCUSTOMER */
  readonly classUrl: string;
}

/**
 * A `$query`: `where`, `orderBy` (properties of the class; default the key), `count` (page size,
 * default 20), `key=gt.<k>` (also ge, lt, le, eq) and `startIndex`. The answer is the SData feed
 * envelope; `$links.$next.$url` is present while more records follow: `key=gt.<last key>` when the
 * order is the key's, `startIndex` otherwise.
 */
export function runX3Query(request: X3QueryRequest): Record<string, unknown> {
  const { def, query } = request;
  for (const [name, value] of Object.entries(query)) {
    if (!QUERY_PARAMETERS.has(name)) throw new X3HttpError(400, `Unknown query parameter ${name}`);
    if (typeof value !== 'string') throw new X3HttpError(400, `Give ${name} once`);
  }
  const count = positiveInt(query['count'], 'count', DEFAULT_QUERY_COUNT, MAX_QUERY_COUNT);
  const startIndex = positiveInt(query['startIndex'], 'startIndex', 1, Number.MAX_SAFE_INTEGER);
  const where =
    typeof query['where'] === 'string' && query['where'].trim() !== ''
      ? parseWhere(query['where'], (f) => fieldType(def, f))
      : undefined;
  const order = parseOrderBy(def, query['orderBy']);
  const keyFilter = parseKeyFilter(query['key']);

  const get =
    (r: X3Record) =>
    (field: string): X3Value =>
      r.values[field] ?? null;
  const matching = [...request.records].filter(
    (r) => (!where || (where as WherePredicate)(get(r))) && (!keyFilter || keyFilter(r.key)),
  );
  matching.sort((a, b) => {
    for (const o of order) {
      const cmp = compareValues(a.values[o.field] ?? null, b.values[o.field] ?? null);
      if (cmp !== 0) return o.desc ? -cmp : cmp;
    }
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  const page = matching.slice(startIndex - 1, startIndex - 1 + count);
  const more = matching.length > startIndex - 1 + count;
  const representation = `${def.representation}.$query`;
  const params = (extra: Record<string, string>): string => {
    const p = new URLSearchParams({ representation });
    for (const name of ['where', 'orderBy']) if (typeof query[name] === 'string') p.set(name, query[name]);
    p.set('count', String(count));
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return p.toString();
  };
  const byKey =
    order.length === 0 ||
    (order.length === 1 &&
      order[0]?.field === def.keyFields[0] &&
      def.keyFields.length === 1 &&
      order[0]?.desc === false);
  const last = page[page.length - 1];
  const next: Record<string, string> | undefined =
    more && last
      ? byKey && startIndex === 1
        ? { key: `gt.${last.key}` }
        : { startIndex: String(startIndex + count) }
      : undefined;
  const self: Record<string, string> = {};
  if (typeof query['key'] === 'string') self['key'] = query['key'];
  if (startIndex !== 1) self['startIndex'] = String(startIndex);
  return {
    $url: `${request.classUrl}?${params(self)}`,
    $descriptor: `${def.name} ${representation}`,
    $startIndex: startIndex,
    $itemsPerPage: count,
    $totalResults: matching.length,
    $resources: page.map((r) => queryResource(def, r, request.classUrl)),
    $links: next
      ? {
          $next: {
            $url: `${request.classUrl}?${params(next)}`,
            $type: 'application/json; vnd.sage=syracuse',
          },
        }
      : {},
  };
}

/** A record as a $query row: header properties with $uuid, $key, $url and $etag (no lines). */
export function queryResource(def: X3ClassDef, r: X3Record, classUrl: string): Record<string, unknown> {
  return {
    $uuid: r.uuid,
    $key: r.key,
    $url: `${classUrl}('${r.key}')?representation=${def.representation}.$details`,
    $etag: r.values['UPDDATTIM'],
    ...Object.fromEntries(def.fields.map((f) => [f.name, r.values[f.name] ?? null])),
  };
}

/** A record as $details / $edit show it: header properties, then its lines as an array. */
export function detailsResource(r: X3Record): Record<string, unknown> {
  const def = X3_CLASSES[r.className];
  return {
    $uuid: r.uuid,
    $etag: r.values['UPDDATTIM'],
    ...Object.fromEntries(def.fields.map((f) => [f.name, r.values[f.name] ?? null])),
    ...(def.lines && r.lines
      ? {
          [def.lines.name]: r.lines.map((l) => ({
            $uuid: l.uuid,
            ...Object.fromEntries(def.lines?.fields.map((f) => [f.name, l.values[f.name] ?? null]) ?? []),
          })),
        }
      : {}),
  };
}

function fieldType(def: X3ClassDef, name: string) {
  return fieldOf(def, name)?.type;
}

function positiveInt(raw: unknown, name: string, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max)
    throw new X3HttpError(400, `${name} must be a whole number from 1 to ${max}`);
  return n;
}

function parseOrderBy(def: X3ClassDef, raw: unknown): { field: string; desc: boolean }[] {
  if (typeof raw !== 'string' || raw.trim() === '') return [];
  return raw.split(',').map((part) => {
    const [field = '', dir = 'asc', ...rest] = part.trim().split(/\s+/);
    if (!fieldOf(def, field))
      throw new X3HttpError(400, `orderBy: ${field} is not a property of ${def.representation}.$query`);
    if ((dir.toLowerCase() !== 'asc' && dir.toLowerCase() !== 'desc') || rest.length > 0)
      throw new X3HttpError(400, `orderBy: "${part.trim()}" must be "PROPERTY [asc|desc]"`);
    return { field, desc: dir.toLowerCase() === 'desc' };
  });
}

function parseKeyFilter(raw: unknown): ((key: string) => boolean) | undefined {
  if (raw === undefined || raw === '') return undefined;
  const m = typeof raw === 'string' ? /^(gt|ge|lt|le|eq)\.(.*)$/.exec(raw) : null;
  if (!m) throw new X3HttpError(400, 'key must be <gt|ge|lt|le|eq>.<key>, e.g. key=gt.C00010');
  const [, op, value = ''] = m;
  return (key) => {
    switch (op) {
      case 'gt':
        return key > value;
      case 'ge':
        return key >= value;
      case 'lt':
        return key < value;
      case 'le':
        return key <= value;
      default:
        return key === value;
    }
  };
}

function compareValues(a: X3Value, b: X3Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}
