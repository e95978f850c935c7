import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, importPKCS8 } from 'jose';
import { generate } from 'selfsigned';
import { issueSandboxAccessToken } from '@pardot-x3/sandbox-kit';
import {
  API_VERSION,
  CONSUMER_KEY,
  USERNAME,
  startTestSandbox,
  type TestSandbox,
} from './sandbox-salesforce.fixture.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

describe('OAuth token endpoint and REST error dialect', () => {
  let sandbox: TestSandbox;
  let privateKeyPem: string;

  const tokenRequest = async (params: Record<string, string>): Promise<HttpResult> => {
    const res = await fetch(`${sandbox.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  };

  const assertion = async (
    claims: { iss?: string; sub?: string; aud?: string; expiresIn?: number },
    keyPem = privateKeyPem,
  ): Promise<string> => {
    const key = await importPKCS8(keyPem, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(claims.iss ?? CONSUMER_KEY)
      .setSubject(claims.sub ?? USERNAME)
      .setAudience(claims.aud ?? 'https://login.salesforce.com')
      .setExpirationTime(now + (claims.expiresIn ?? 180))
      .sign(key);
  };

  const rest = async (
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<HttpResult> => {
    const token = options.token === undefined ? await sandbox.token() : options.token;
    const res = await fetch(`${sandbox.url}/services/data/v${API_VERSION}${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...options.headers,
      },
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    const pems = await generate([{ name: 'commonName', value: 'pardot-x3 test connected app' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    privateKeyPem = pems.private;
    const configured = await sandbox.admin('PUT', '/salesforce/connected-app', { certificate: pems.cert });
    expect(configured).toMatchObject({ status: 200, body: { hasCertificate: true } });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  describe('JWT bearer flow (RS256 against the connected app certificate)', () => {
    it('issues a token with instance_url and identity URL for a valid assertion', async () => {
      const res = await tokenRequest({ grant_type: JWT_BEARER, assertion: await assertion({}) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        access_token: expect.stringMatching(/^00D[A-Za-z0-9]{12}!/),
        instance_url: sandbox.url,
        id: expect.stringMatching(new RegExp(`^${sandbox.url}/id/00D[A-Za-z0-9]{15}/005[A-Za-z0-9]{15}$`)),
        token_type: 'Bearer',
        scope: 'api pardot_api',
      });
      const token = (res.body as { access_token: string }).access_token;
      expect((await rest('GET', '/limits', { token })).status).toBe(200);
    });

    it.each([
      [
        'a key that does not match the certificate',
        async () =>
          assertion(
            {},
            generateKeyPairSync('rsa', { modulusLength: 2048 })
              .privateKey.export({ type: 'pkcs8', format: 'pem' })
              .toString(),
          ),
        'invalid_grant',
        'invalid assertion',
      ],
      [
        'an expired assertion',
        async () => assertion({ expiresIn: -120 }),
        'invalid_grant',
        'expired authorization code',
      ],
      [
        'a wrong audience',
        async () => assertion({ aud: 'https://example.com' }),
        'invalid_grant',
        'audience is invalid [audience=https://example.com]',
      ],
      [
        'an unknown consumer key',
        async () => assertion({ iss: 'SomeOtherApp' }),
        'invalid_client_id',
        'client identifier invalid',
      ],
      [
        'an unknown user',
        async () => assertion({ sub: 'nobody@example.com' }),
        'invalid_grant',
        "user hasn't approved this consumer",
      ],
      ['something that is not a JWT', async () => 'not-a-jwt', 'invalid_grant', 'invalid assertion'],
    ])('refuses %s with HTTP 400 and the documented error body', async (_label, make, error, description) => {
      const res = await tokenRequest({ grant_type: JWT_BEARER, assertion: await make() });
      expect(res).toMatchObject({ status: 400, body: { error, error_description: description } });
    });
  });

  describe('client credentials and other grants', () => {
    it('refuses a wrong secret, an unknown client and an unsupported grant', async () => {
      expect(
        await tokenRequest({
          grant_type: 'client_credentials',
          client_id: CONSUMER_KEY,
          client_secret: 'wrong',
        }),
      ).toMatchObject({
        status: 400,
        body: { error: 'invalid_client', error_description: 'invalid client credentials' },
      });
      expect(
        await tokenRequest({ grant_type: 'client_credentials', client_id: 'nope', client_secret: 'x' }),
      ).toMatchObject({
        status: 400,
        body: { error: 'invalid_client_id' },
      });
      expect(await tokenRequest({ grant_type: 'magic' })).toMatchObject({
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' },
      });
    });
  });

  describe('sessions', () => {
    it('answers a missing, forged or expired token with 401 INVALID_SESSION_ID', async () => {
      const expected = {
        status: 401,
        body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
      };
      expect(await rest('GET', '/sobjects/Account/describe', { token: null })).toMatchObject(expected);
      expect(
        await rest('GET', '/sobjects/Account/describe', { token: '00D5g000004SbxA!forged.token' }),
      ).toMatchObject(expected);
      const expired = issueSandboxAccessToken(
        {
          orgId: '00D5g000004SbxAEAS',
          userId: '0055g0000000001AAA',
          clientId: CONSUMER_KEY,
          scopes: ['api'],
          ttlSeconds: 60,
          now: new Date(Date.now() - 3_600_000),
        },
        'pardot-x3-sandbox-token-secret',
      );
      expect(await rest('GET', '/sobjects/Account/describe', { token: expired })).toMatchObject(expected);
    });
  });

  describe('API limits', () => {
    it('reports api-usage on every REST answer and refuses with 403 REQUEST_LIMIT_EXCEEDED past the daily limit', async () => {
      const token = await sandbox.token();
      const used = (await rest('GET', '/limits', { token })).headers.get('sforce-limit-info');
      const n = Number(/api-usage=(\d+)\/\d+/.exec(used ?? '')?.[1]);
      expect(n).toBeGreaterThan(0);
      await sandbox.admin('PUT', '/salesforce/limits', { dailyApiLimit: n + 2 });
      const next = await rest('GET', '/limits', { token });
      expect(next.headers.get('sforce-limit-info')).toBe(`api-usage=${n + 1}/${n + 2}`);
      expect(next.body).toMatchObject({ DailyApiRequests: { Max: n + 2, Remaining: 1 } });
      expect((await rest('GET', '/sobjects', { token })).status).toBe(200);
      const refused = await rest('GET', '/sobjects', { token });
      expect(refused).toMatchObject({
        status: 403,
        body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
      });
      expect(refused.headers.get('sforce-limit-info')).toBe(`api-usage=${n + 2}/${n + 2}`);
      await sandbox.admin('PUT', '/salesforce/limits', { dailyApiLimit: 100_000, used: 0 });
    });
  });

  describe('REST shapes and errors', () => {
    it('lists versions without a session and 404s an unsupported version', async () => {
      const versions = await fetch(`${sandbox.url}/services/data`).then((r) => r.json());
      expect(versions).toContainEqual({ label: "Spring '24", url: '/services/data/v60.0', version: '60.0' });
      const res = await fetch(`${sandbox.url}/services/data/v20.0/limits`, {
        headers: { Authorization: `Bearer ${await sandbox.token()}` },
      });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual([
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
      ]);
    });

    it('creates with 201 and refuses an Id, an unknown field, a missing required field and bad JSON', async () => {
      expect(
        await rest('POST', '/sobjects/Contact', { body: { LastName: 'Doe', Email: 'jane.doe@example.com' } }),
      ).toMatchObject({
        status: 201,
        body: { id: expect.stringMatching(/^003/), success: true, errors: [] },
      });
      expect(
        await rest('POST', '/sobjects/Account', { body: { Id: '001000000000001AAA', Name: 'x' } }),
      ).toMatchObject({
        status: 400,
        body: [
          {
            message: 'The Id field should not be specified in the sobject data.',
            errorCode: 'INVALID_FIELD',
          },
        ],
      });
      expect(
        await rest('POST', '/sobjects/Account', { body: { Name: 'x', Colour__c: 'red' } }),
      ).toMatchObject({
        status: 400,
        body: [
          { errorCode: 'INVALID_FIELD', message: "No such column 'Colour__c' on sobject of type Account" },
        ],
      });
      expect(await rest('POST', '/sobjects/Contact', { body: { FirstName: 'Only' } })).toMatchObject({
        status: 400,
        body: [
          {
            errorCode: 'REQUIRED_FIELD_MISSING',
            message: 'Required fields are missing: [LastName]',
            fields: ['LastName'],
          },
        ],
      });
      expect(await rest('POST', '/sobjects/Contact', { body: '{"LastName":' })).toMatchObject({
        status: 400,
        body: [{ errorCode: 'JSON_PARSER_ERROR' }],
      });
      expect(
        await rest('POST', '/sobjects/Contact', { body: { LastName: 'x', Email: 'not-an-email' } }),
      ).toMatchObject({
        status: 400,
        body: [{ errorCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] }],
      });
      expect(await rest('POST', '/sobjects/Widget__c', { body: { Name: 'x' } })).toMatchObject({
        status: 404,
        body: [{ errorCode: 'NOT_FOUND' }],
      });
    });

    it('upsert by external id: 300 with the matching records, 404 NOT_FOUND for an unknown field', async () => {
      const a = await rest('POST', '/sobjects/Contact', {
        body: { LastName: 'Twin', Pardot_Prospect_Id__c: 'P-777' },
      });
      const b = await rest('POST', '/sobjects/Contact', {
        body: { LastName: 'Twin', Pardot_Prospect_Id__c: 'p-777' },
      });
      const ids = [a, b].map((r) => (r.body as { id: string }).id);
      const several = await rest('PATCH', '/sobjects/Contact/Pardot_Prospect_Id__c/P-777', {
        body: { Title: 'CEO' },
      });
      expect(several.status).toBe(300);
      expect(several.body).toEqual(ids.map((id) => `/services/data/v${API_VERSION}/sobjects/Contact/${id}`));
      expect(
        await rest('PATCH', '/sobjects/Contact/No_Such_Field__c/1', { body: { Title: 'CEO' } }),
      ).toMatchObject({
        status: 404,
        body: [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }],
      });
      expect(await rest('GET', `/sobjects/Contact/Pardot_Prospect_Id__c/P-777`)).toMatchObject({
        status: 300,
      });
    });

    it("queries with MALFORMED_QUERY and INVALID_QUERY_FILTER_OPERATOR in Salesforce's row/column shape", async () => {
      expect(await rest('GET', `/query?q=${encodeURIComponent('SELECT Id FORM Account')}`)).toMatchObject({
        status: 400,
        body: [
          {
            errorCode: 'MALFORMED_QUERY',
            message:
              "\nSELECT Id FORM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FORM'",
          },
        ],
      });
      expect(
        await rest(
          'GET',
          `/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE LastModifiedDate > '2025-01-01T00:00:00Z'")}`,
        ),
      ).toMatchObject({
        status: 400,
        body: [
          {
            errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
            message: expect.stringContaining(
              "value of filter criterion for field 'LastModifiedDate' must be of type dateTime and should not be enclosed in quotes",
            ),
          },
        ],
      });
      const ok = await rest(
        'GET',
        `/query?q=${encodeURIComponent('SELECT Id, Name FROM Account WHERE LastModifiedDate > 2020-01-01T00:00:00Z ORDER BY Name LIMIT 2')}`,
      );
      expect(ok).toMatchObject({ status: 200, body: { totalSize: 2, done: true } });
    });
  });
});
