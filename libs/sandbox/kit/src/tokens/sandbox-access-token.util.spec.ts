import { describe, expect, it } from 'vitest';
import { issueSandboxAccessToken, verifySandboxAccessToken } from './sandbox-access-token.util.js';

const SECRET = 'a-test-secret-of-some-length';
const input = {
  orgId: '00D000000000001AAA',
  userId: '005000000000001AAA',
  clientId: 'px3-connector',
  scopes: ['api', 'pardot_api'],
  ttlSeconds: 60,
};

describe('sandbox access tokens', () => {
  it('look like Salesforce tokens and carry their claims', () => {
    const now = new Date('2026-11-26T10:00:00Z');
    const token = issueSandboxAccessToken({ ...input, now }, SECRET);
    expect(token).toMatch(/^00D000000000001!\S+$/);
    const result = verifySandboxAccessToken(token, SECRET, now);
    expect(result).toMatchObject({
      valid: true,
      claims: {
        clientId: 'px3-connector',
        scopes: ['api', 'pardot_api'],
        expiresAt: now.getTime() / 1000 + 60,
      },
    });
  });

  it('say why a token is refused: expired, wrong signature or malformed', () => {
    const now = new Date('2026-11-26T10:00:00Z');
    const token = issueSandboxAccessToken({ ...input, now }, SECRET);
    expect(verifySandboxAccessToken(token, SECRET, new Date(now.getTime() + 60_000))).toMatchObject({
      valid: false,
      reason: 'expired',
    });
    expect(verifySandboxAccessToken(token, 'another-secret-of-length', now)).toEqual({
      valid: false,
      reason: 'signature',
    });
    expect(verifySandboxAccessToken(`${token.slice(0, -2)}xx`, SECRET, now)).toEqual({
      valid: false,
      reason: 'signature',
    });
    expect(verifySandboxAccessToken('not-a-token', SECRET, now)).toEqual({
      valid: false,
      reason: 'malformed',
    });
  });

  it('refuse a short secret and a malformed org id', () => {
    expect(() => issueSandboxAccessToken(input, 'short')).toThrow(/at least 16 characters/);
    expect(() => issueSandboxAccessToken({ ...input, orgId: '001000000000001' }, SECRET)).toThrow(/orgId/);
  });
});
