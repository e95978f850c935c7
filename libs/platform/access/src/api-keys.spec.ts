import { describe, expect, it } from 'vitest';
import {
  API_KEY_PREFIX,
  ApiKeyVerifier,
  apiKeyLine,
  createApiKey,
  hashApiKey,
  parseApiKeys,
} from './api-keys.js';

describe('API keys', () => {
  it('are random, prefixed, and listed by their hash only', () => {
    const key = createApiKey();
    expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(key).not.toBe(createApiKey());
    const line = apiKeyLine('ci', 'operator', key);
    expect(line).toBe(`ci:operator:${hashApiKey(key)}`);
    expect(line).not.toContain(key.slice(API_KEY_PREFIX.length));
  });

  it('verify by hash: the right key gives its name and role, any other nothing', () => {
    const ci = createApiKey();
    const dashboard = createApiKey();
    const { entries, problems } = parseApiKeys(
      `# keys\n${apiKeyLine('ci', 'operator', ci)}\n\n${apiKeyLine('dashboard', 'viewer', dashboard)} # read only\n`,
      'keys.txt',
    );
    expect(problems).toEqual([]);
    const verifier = new ApiKeyVerifier(entries);
    expect(verifier.verify(ci)).toEqual({ id: 'api-key:ci', kind: 'api-key', name: 'ci', role: 'operator' });
    expect(verifier.verify(dashboard)?.role).toBe('viewer');
    expect(verifier.verify(`${ci}x`)).toBeUndefined();
    expect(verifier.verify('')).toBeUndefined();
    expect(verifier.verify(hashApiKey(ci))).toBeUndefined();
  });

  it('accept comma-separated items (PX3_API_KEYS) and name each bad line', () => {
    const key = createApiKey();
    const { entries, problems } = parseApiKeys(
      `${apiKeyLine('a', 'pii', key)},b:admin:${hashApiKey(key)}\nc:viewer:not-a-hash\nplain-key-by-mistake`,
      'PX3_API_KEYS',
    );
    expect(entries.map((e) => e.name)).toEqual(['a']);
    expect(problems).toEqual([
      expect.stringContaining('PX3_API_KEYS line 1 must be name:role:sha256-hex'),
      expect.stringContaining('PX3_API_KEYS line 2'),
      expect.stringContaining('PX3_API_KEYS line 3'),
    ]);
    expect(problems.join('\n')).not.toContain('plain-key-by-mistake');
  });
});
