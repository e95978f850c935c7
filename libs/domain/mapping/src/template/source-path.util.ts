import { isForbiddenKey } from '../safe-keys/safe-keys.util.js';
import type { JsonValue } from './mapping-template.types.js';

/** Prefix that reads from the whole record inside an `each:` rule. */
export const ROOT_PREFIX = '$root.';

const SEGMENT = /^[A-Za-z0-9_$-]+$/;

/**
 * A source path is dot-separated keys, numbers indexing lists (`BPAADDLIG.0`), optionally `$root.` first;
 * never `__proto__`, `constructor` or `prototype`.
 */
export function isValidSourcePath(path: string): boolean {
  const body = path.startsWith(ROOT_PREFIX) ? path.slice(ROOT_PREFIX.length) : path;
  return (
    body.length > 0 &&
    body
      .split('.')
      .every((segment) => SEGMENT.test(segment) && segment !== '$root' && !isForbiddenKey(segment))
  );
}

/**
 * An output path is dot-separated identifiers (`address.city`, `Customer_Lifetime_Value__c`); never
 * `__proto__`, `constructor` or `prototype`.
 */
export function isValidTargetPath(path: string): boolean {
  return path
    .split('.')
    .every((segment) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment) && !isForbiddenKey(segment));
}

export interface PathScope {
  readonly root: unknown;
  readonly current: unknown;
}

/** The value at a source path; undefined when any step is missing (the source does not know it). */
export function readSourcePath(scope: PathScope, path: string): unknown {
  const fromRoot = path.startsWith(ROOT_PREFIX);
  let value: unknown = fromRoot ? scope.root : scope.current;
  for (const segment of (fromRoot ? path.slice(ROOT_PREFIX.length) : path).split('.')) {
    if (value === null || value === undefined) return undefined;
    if (Array.isArray(value)) {
      if (!/^\d+$/.test(segment)) return undefined;
      value = value[Number(segment)];
    } else if (typeof value === 'object') {
      value = Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
    } else {
      return undefined;
    }
  }
  return value;
}

/** The top-level source key a path reads (its first segment), for tracking which source fields a template used. */
export function topLevelKey(path: string): string | undefined {
  return path.startsWith(ROOT_PREFIX) ? undefined : path.split('.')[0];
}

/**
 * Writes `value` at a dotted output path, creating nested records. Output paths come from templates
 * (checked at load) and pass-through keys (checked by `mapRecord`); a `__proto__`, `constructor` or
 * `prototype` segment here is a bug, and throws rather than reach `Object.prototype`.
 */
export function writeTargetPath(record: { [key: string]: JsonValue }, path: string, value: JsonValue): void {
  const segments = path.split('.');
  const forbidden = segments.find((segment) => isForbiddenKey(segment));
  if (forbidden !== undefined) throw new Error(`refusing to write the output path ${path}: ${forbidden}`);
  let node = record;
  for (const segment of segments.slice(0, -1)) {
    const next = Object.hasOwn(node, segment) ? node[segment] : undefined;
    if (next === undefined || next === null || typeof next !== 'object' || Array.isArray(next))
      node[segment] = {};
    node = node[segment] as { [key: string]: JsonValue };
  }
  node[segments[segments.length - 1] ?? path] = value;
}

/** Plain JSON copy of a source value (dates and other objects become their JSON form). */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
