import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { apiKeyLine, createApiKey } from './api-keys.js';
import { createAuthenticator } from './access-settings.js';
import { CREDENTIALS_REQUIRED } from './authenticator.js';

const ISSUER = 'https://idp.example.test/realms/px3';

async function provider() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] };
  const sign = (claims: Record<string, unknown>, opts: { aud?: string; iss?: string; exp?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('u-123')
      .setIssuer(opts.iss ?? ISSUER)
      .setAudience(opts.aud ?? 'pardot-x3')
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '5m')
      .sign(privateKey);
  return { jwks, sign };
}

describe('Authenticator', () => {
  it('says what is missing, and rejects what does not verify', async () => {
    const key = createApiKey();
    const auth = createAuthenticator({ PX3_API_KEYS: apiKeyLine('ci', 'operator', key) });
    expect(await auth.authenticate({})).toEqual({ outcome: 'missing', message: CREDENTIALS_REQUIRED });
    expect((await auth.authenticate({ apiKey: key })).outcome).toBe('authenticated');
    expect((await auth.authenticate({ authorization: `Bearer ${key}` })).outcome).toBe('authenticated');
    expect(await auth.authenticate({ apiKey: 'px3k_guess' })).toMatchObject({ outcome: 'invalid' });
    expect(await auth.authenticate({ authorization: 'Basic YTpi' })).toMatchObject({
      outcome: 'invalid',
      message: expect.stringContaining('Bearer <token>'),
    });
    expect(await auth.authenticate({ authorization: 'Bearer eyJhbGciOi.x.y' })).toMatchObject({
      outcome: 'invalid',
      message: expect.stringContaining('no OIDC provider'),
    });
  });

  it('verifies OIDC tokens: issuer, audience, expiry, signature, roles from a mapped claim', async () => {
    const idp = await provider();
    const other = await provider();
    const auth = createAuthenticator({
      PX3_OIDC_ISSUER: ISSUER,
      PX3_OIDC_AUDIENCE: 'pardot-x3,px3-cli',
      PX3_OIDC_JWKS_URL: undefined,
      PX3_OIDC_ROLES_CLAIM: 'realm_access.roles',
      PX3_OIDC_ROLE_MAP: 'px3-admins:operator',
      ...jwksFile(idp.jwks),
    });
    const ok = await auth.authenticate({
      authorization: `Bearer ${await idp.sign({ realm_access: { roles: ['px3-admins'] }, preferred_username: 'jane' })}`,
    });
    expect(ok).toEqual({
      outcome: 'authenticated',
      principal: { id: 'oidc:u-123', kind: 'oidc', name: 'jane', role: 'operator' },
    });
    const noRole = await auth.authenticate({ authorization: `Bearer ${await idp.sign({})}` });
    expect(noRole).toMatchObject({ outcome: 'authenticated', principal: { role: undefined } });
    const bad = async (token: string, why: RegExp) =>
      expect(await auth.authenticate({ authorization: `Bearer ${token}` })).toMatchObject({
        outcome: 'invalid',
        message: expect.stringMatching(why),
      });
    await bad(await idp.sign({}, { aud: 'someone-else' }), /aud/);
    await bad(await idp.sign({}, { iss: 'https://evil.example' }), /iss/);
    await bad(await idp.sign({}, { exp: '-5m' }), /expired/);
    await bad(await other.sign({}), /signature|no key/);
  });

  it('refuses incomplete OIDC settings at boot, naming each', () => {
    expect(() => createAuthenticator({ PX3_OIDC_ISSUER: ISSUER })).toThrow(/PX3_OIDC_AUDIENCE is required/);
    expect(() => createAuthenticator({ PX3_OIDC_ISSUER: ISSUER })).toThrow(
      /PX3_OIDC_JWKS_URL or PX3_OIDC_JWKS_FILE/,
    );
    expect(() => createAuthenticator({ PX3_API_KEYS_FILE: '/nonexistent/keys' })).toThrow(/cannot be read/);
  });

  it('accepts nothing when nothing is configured', () => {
    expect(createAuthenticator({}).acceptsNothing).toBe(true);
  });
});

function jwksFile(jwks: unknown): { PX3_OIDC_JWKS_FILE: string } {
  const dir = mkdtempSync(join(tmpdir(), 'px3-jwks-'));
  const file = join(dir, 'jwks.json');
  writeFileSync(file, JSON.stringify(jwks));
  return { PX3_OIDC_JWKS_FILE: file };
}
