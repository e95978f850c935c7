/**
 * Keys that reach JavaScript's object machinery instead of data: writing `obj["__proto__"][k]` (or
 * `obj.constructor.prototype[k]`) through a normal object changes `Object.prototype` for the whole
 * process. Records from outside (source events, webhooks, JSON files) never use them as field names;
 * every edge refuses them, and code that builds objects from dynamic keys uses {@link nullPrototypeRecord}.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The refusal, for messages: `__proto__, constructor and prototype are not allowed as field names`. */
export const FORBIDDEN_KEYS_RULE = '__proto__, constructor and prototype are not allowed as field names';

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/** True when a dotted path (`Account.__proto__.x`) has a forbidden segment. */
export function hasForbiddenSegment(path: string): boolean {
  return path.split('.').some((segment) => FORBIDDEN_KEYS.has(segment));
}

/**
 * The dotted paths of every forbidden own key in a JSON-like value, at any depth (list items by
 * position): `['Account.__proto__', 'BPAADDLIG.0.constructor']`. `JSON.parse` makes `"__proto__"` an
 * own property (it pollutes nothing by itself); this finds it before anything copies it into a normal
 * object. Cycles and depths beyond 64 stop the walk.
 */
export function forbiddenKeyPaths(value: unknown, prefix = ''): string[] {
  const found: string[] = [];
  const seen = new Set<object>();
  const visit = (node: unknown, path: string, depth: number): void => {
    if (node === null || typeof node !== 'object' || depth > 64 || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, join(path, String(index)), depth + 1));
      return;
    }
    for (const key of Object.keys(node)) {
      const at = join(path, key);
      if (FORBIDDEN_KEYS.has(key)) found.push(at);
      else visit((node as Record<string, unknown>)[key], at, depth + 1);
    }
  };
  visit(value, prefix, 0);
  return found;
}

/**
 * An empty record without a prototype (`Object.create(null)`): a key named `__proto__` written into it
 * is an ordinary own property, and no key reads anything it was not given.
 */
export function nullPrototypeRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}
