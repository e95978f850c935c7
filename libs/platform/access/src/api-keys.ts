import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from './principal.js';
import { isRole, ROLES, type Role } from './roles.js';

/** Every key pardot-x3 issues starts with this, so a key is recognisable (and never taken for a JWT). */
export const API_KEY_PREFIX = 'px3k_';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** One accepted key: its name, its role and the SHA-256 of the key (never the key itself). */
export interface ApiKeyEntry {
  readonly name: string;
  readonly role: Role;
  readonly sha256: string;
}

/** A new random API key (256 bits): shown once to whoever creates it, stored nowhere but as its hash. */
export function createApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The SHA-256 of a key, hex: what the key list holds. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The line of the key list (`PX3_API_KEYS_FILE`) that accepts `key` as `name` with `role`. */
export function apiKeyLine(name: string, role: Role, key: string): string {
  if (!NAME.test(name))
    throw new Error(`an API key name is letters, digits, ".", "_" or "-" (got "${name}")`);
  return `${name}:${role}:${hashApiKey(key)}`;
}

/**
 * Parses a key list: one `name:role:sha256-hex` per line (or per comma-separated item); blank lines
 * and `#` comments are skipped. Returns the entries and every problem found (with `source` and line).
 */
export function parseApiKeys(text: string, source: string): { entries: ApiKeyEntry[]; problems: string[] } {
  const entries: ApiKeyEntry[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    for (const item of raw.replace(/#.*$/, '').split(',')) {
      const line = item.trim();
      if (line === '') continue;
      const where = `${source} line ${index + 1}`;
      const [name = '', role = '', sha256 = '', ...rest] = line.split(':');
      if (rest.length > 0 || !NAME.test(name) || !isRole(role) || !SHA256_HEX.test(sha256.toLowerCase())) {
        problems.push(
          `${where} must be name:role:sha256-hex with a role of ${ROLES.join(', ')} (see docs/security.md)`,
        );
        continue;
      }
      entries.push({ name, role, sha256: sha256.toLowerCase() });
    }
  });
  return { entries, problems };
}

/** Checks presented keys against the list: by hash, in constant time, every entry compared. */
export class ApiKeyVerifier {
  private readonly entries: readonly { entry: ApiKeyEntry; digest: Buffer }[];

  constructor(entries: readonly ApiKeyEntry[]) {
    this.entries = entries.map((entry) => ({ entry, digest: Buffer.from(entry.sha256, 'hex') }));
  }

  get size(): number {
    return this.entries.length;
  }

  verify(presented: string): Principal | undefined {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let match: ApiKeyEntry | undefined;
    // No early exit: the time taken does not depend on which entry (if any) matched.
    for (const { entry, digest: expected } of this.entries)
      if (timingSafeEqual(digest, expected) && !match) match = entry;
    return match
      ? { id: `api-key:${match.name}`, kind: 'api-key', name: match.name, role: match.role }
      : undefined;
  }
}
