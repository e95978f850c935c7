import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiKeyLine, API_KEY_PREFIX, createApiKey } from '@pardot-x3/access';

/** The local operator's API key: the demo and `services up` accept it; nothing else knows it. */
export interface LocalOperatorKey {
  /** The key itself, for the X-API-Key header of curl examples and ops commands. */
  readonly key: string;
  /** Where it is kept (mode 0600). */
  readonly file: string;
  /** The line services accept it by (PX3_API_KEYS): its name, role and hash, never the key. */
  readonly apiKeys: string;
}

export const LOCAL_OPERATOR_KEY_NAME = 'local-operator';

/**
 * The local operator key of a stack folder (`<stack home>/access/local-operator.key`), created on
 * first use with a fresh random key, readable by the owner only. Local defaults are never an open
 * door: services on local defaults accept this key, and only this key.
 */
export function localOperatorKey(stackHome: string): LocalOperatorKey {
  const dir = join(stackHome, 'access');
  const file = join(dir, `${LOCAL_OPERATOR_KEY_NAME}.key`);
  let key = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (!key.startsWith(API_KEY_PREFIX)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    key = createApiKey();
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return { key, file, apiKeys: apiKeyLine(LOCAL_OPERATOR_KEY_NAME, 'operator', key) };
}
