import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyVerifier, parseApiKeys } from '@pardot-x3/access';
import { describe, expect, it } from 'vitest';
import { localOperatorKey } from './local-access.js';

describe('localOperatorKey', () => {
  it('creates a key on first use, readable by the owner only, and gives services only its hash', () => {
    const home = mkdtempSync(join(tmpdir(), 'px3-local-key-'));
    const first = localOperatorKey(home);
    expect(first.file).toBe(join(home, 'access', 'local-operator.key'));
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.file, 'utf8').trim()).toBe(first.key);
    expect(first.apiKeys).not.toContain(first.key);
    const { entries } = parseApiKeys(first.apiKeys, 'PX3_API_KEYS');
    expect(new ApiKeyVerifier(entries).verify(first.key)).toMatchObject({
      name: 'local-operator',
      role: 'operator',
    });
    expect(localOperatorKey(home)).toEqual(first);
  });
});
