import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigValidationError } from '@pardot-x3/config';
import { signJwtBearerAssertion } from './salesforce-auth.js';
import { salesforceConfigSchema, salesforceCredentialsFromConfig } from './salesforce.config.js';
import { SalesforceAuthError } from './salesforce.error.js';

/** Fake key material from test/fixtures: a PEM that is no key, and a PEM as an env variable holds it (newlines written `\n`). */
const fixture = (name: string): string =>
  readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8').trimEnd();

describe('signJwtBearerAssertion', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it.each([
    ['PKCS#8', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()],
    ['PKCS#1', privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()],
  ])('signs an RS256 assertion with iss, sub, aud and a short exp (%s key)', async (_label, pem) => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = await signJwtBearerAssertion({
      clientId: '3MVG9client',
      username: 'integration@acme.com',
      audience: 'https://test.salesforce.com',
      privateKeyPem: pem,
      now,
    });
    const { payload, protectedHeader } = await jwtVerify(jwt, publicKey, {
      audience: 'https://test.salesforce.com',
      issuer: '3MVG9client',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.sub).toBe('integration@acme.com');
    expect(payload.exp).toBe(now + 180);
  });

  it('says the key is unreadable without echoing it', async () => {
    const bad = fixture('unreadable-private-key.pem');
    const error = await signJwtBearerAssertion({
      clientId: 'c',
      username: 'u',
      audience: 'a',
      privateKeyPem: bad,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceAuthError);
    expect((error as Error).message).not.toContain('secret-material');
  });
});

describe('salesforceCredentialsFromConfig', () => {
  const base = { SALESFORCE_CLIENT_ID: '3MVG9client' };

  it('uses the JWT bearer flow when a private key is set, restoring escaped newlines', () => {
    const config = salesforceConfigSchema.parse({
      ...base,
      SALESFORCE_USERNAME: 'u@acme.com',
      SALESFORCE_PRIVATE_KEY: fixture('escaped-private-key.env.txt'),
    });
    const credentials = salesforceCredentialsFromConfig(config);
    expect(credentials.flow).toBe('jwt-bearer');
    expect(credentials.flow === 'jwt-bearer' && credentials.privateKeyPem).toContain('\nabc\n');
    expect(config.SALESFORCE_CALL_CLIENT_ID).toBe('pardot-x3');
  });

  it('uses client credentials with a secret, and names what is missing otherwise', () => {
    expect(
      salesforceCredentialsFromConfig(
        salesforceConfigSchema.parse({ ...base, SALESFORCE_CLIENT_SECRET: 's' }),
      ).flow,
    ).toBe('client-credentials');
    expect(() => salesforceCredentialsFromConfig(salesforceConfigSchema.parse(base))).toThrow(
      ConfigValidationError,
    );
    expect(() =>
      salesforceCredentialsFromConfig(salesforceConfigSchema.parse({ ...base, SALESFORCE_PRIVATE_KEY: 'k' })),
    ).toThrow(/SALESFORCE_USERNAME is required/);
  });
});
