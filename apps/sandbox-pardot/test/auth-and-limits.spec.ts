import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueSandboxAccessToken } from '@pardot-x3/sandbox-kit';
import { PardotSandbox } from './pardot-sandbox.harness.js';

const sandbox = new PardotSandbox(15200);
const PROSPECTS = '/api/v5/objects/prospects?fields=id,email&limit=1';

beforeAll(async () => {
  await sandbox.start();
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  await sandbox.admin('POST', '/__admin/reset');
});

describe('authentication (every route)', () => {
  it('serves a call with a bearer token carrying pardot_api and the business unit header', async () => {
    const reply = await sandbox.call('GET', PROSPECTS);
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ values: [{ id: expect.any(Number), email: expect.any(String) }] });
  });

  it('refuses a missing, malformed, expired or foreign token with 401 and code 184', async () => {
    expect((await sandbox.call('GET', PROSPECTS, { token: false })).json).toMatchObject({ code: 184 });
    expect((await sandbox.call('GET', PROSPECTS, { token: false })).status).toBe(401);
    expect((await sandbox.call('GET', PROSPECTS, { token: 'not-a-token' })).json).toEqual({
      code: 184,
      message: 'access_token is invalid, unknown, or malformed',
    });
    const expired = issueSandboxAccessToken(
      {
        orgId: '00D5g000004SbxAEAS',
        userId: '005000000000001AAA',
        clientId: 'c',
        scopes: ['pardot_api'],
        ttlSeconds: 60,
        now: new Date(Date.now() - 3_600_000),
      },
      'pardot-x3-sandbox-token-secret',
    );
    expect(await sandbox.call('GET', PROSPECTS, { token: expired })).toMatchObject({
      status: 401,
      json: { code: 184 },
    });
  });

  it('refuses a token of another org (201: the business unit is not found there)', async () => {
    const foreign = issueSandboxAccessToken(
      {
        orgId: '00D000000000009AAA',
        userId: '005000000000001AAA',
        clientId: 'c',
        scopes: ['pardot_api'],
        ttlSeconds: 60,
      },
      'pardot-x3-sandbox-token-secret',
    );
    expect(await sandbox.call('GET', PROSPECTS, { token: foreign })).toMatchObject({
      status: 400,
      json: { code: 201 },
    });
  });

  it('refuses a token without the pardot_api scope (184)', async () => {
    const apiOnly = await sandbox.token({ scopes: ['api'] });
    expect(await sandbox.call('GET', PROSPECTS, { token: apiOnly })).toMatchObject({
      status: 401,
      json: { code: 184 },
    });
  });

  it('refuses legacy user_key/api_key authentication (126)', async () => {
    const reply = await sandbox.call('GET', PROSPECTS, {
      token: false,
      headers: { authorization: 'Pardot user_key=abc, api_key=def' },
    });
    expect(reply).toMatchObject({
      status: 401,
      json: { code: 126, message: 'Invalid authentication mechanism' },
    });
  });

  it('needs the Pardot-Business-Unit-Id header: missing 181, malformed 182, unknown 201', async () => {
    expect(await sandbox.call('GET', PROSPECTS, { businessUnit: false })).toMatchObject({
      status: 400,
      json: { code: 181 },
    });
    expect(await sandbox.call('GET', PROSPECTS, { businessUnit: '001000000000001AAA' })).toMatchObject({
      status: 400,
      json: { code: 182 },
    });
    expect(await sandbox.call('GET', PROSPECTS, { businessUnit: '0Uv000000000009AAA' })).toMatchObject({
      status: 400,
      json: {
        code: 201,
        message: 'Business Unit specified in Pardot-Business-Unit-Id header not found or inactive.',
      },
    });
  });
});

describe('daily limit (error 122)', () => {
  it('answers 122 once the day’s allocation is used, and serves again when it is raised', async () => {
    await sandbox.admin('POST', '/__admin/pardot/limits', { dailyLimit: 3, used: 2 });
    expect((await sandbox.call('GET', PROSPECTS)).status).toBe(200);
    const refused = await sandbox.call('GET', PROSPECTS);
    expect(refused).toMatchObject({ status: 429, json: { code: 122, message: 'Daily API rate limit met' } });
    // v4 speaks its own envelope for the same limit
    const legacy = await sandbox.call('POST', `/api/prospect/version/4/do/read/id/100001?format=json`);
    expect(legacy.json).toEqual({
      '@attributes': { stat: 'fail', version: 1, err_code: 122 },
      err: 'Daily API rate limit met',
    });
    await sandbox.admin('POST', '/__admin/pardot/limits', { dailyLimit: 10 });
    expect((await sandbox.call('GET', PROSPECTS)).status).toBe(200);
  });

  it('reports usage in x-api-usage only when asked with X-Return-Api-Usage: 1', async () => {
    const plain = await sandbox.call('GET', PROSPECTS);
    expect(plain.headers.get('x-api-usage')).toBeNull();
    const asked = await sandbox.call('GET', PROSPECTS, { headers: { 'x-return-api-usage': '1' } });
    expect(asked.headers.get('x-api-usage')).toBe('2/25000');
  });
});

describe('concurrency limit (error 66)', () => {
  it('lets 5 requests of a business unit run at once and refuses the 6th with 66', async () => {
    // Every prospect query is held for 2 s: six truly concurrent requests overlap.
    await sandbox.admin('POST', '/__admin/faults', {
      id: 'slow',
      route: 'GET /api/v5/objects/prospects',
      latencyMs: 2_000,
    });
    const replies = await Promise.all(Array.from({ length: 6 }, () => sandbox.call('GET', PROSPECTS)));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(replies.find((r) => r.status === 429)?.json).toEqual({
      code: 66,
      message: 'You have exceeded your concurrent request limit.  Please wait, before trying again',
    });
    // Slots are given back: the next request goes through.
    await sandbox.admin('DELETE', '/__admin/faults/slow');
    expect((await sandbox.call('GET', PROSPECTS)).status).toBe(200);
    expect(
      ((await sandbox.admin('GET', '/__admin/pardot/limits')).json as { inFlight: object }).inFlight,
    ).toEqual({});
  });

  it('counts each business unit on its own', async () => {
    await sandbox.admin('POST', '/__admin/faults', {
      route: 'GET /api/v5/objects/prospects',
      latencyMs: 1_000,
    });
    const own = Array.from({ length: 5 }, () => sandbox.call('GET', PROSPECTS));
    const other = sandbox.call('GET', PROSPECTS, { businessUnit: '0Uv000000000009AAA' });
    const replies = await Promise.all([...own, other]);
    expect(replies.slice(0, 5).every((r) => r.status === 200)).toBe(true);
    expect(replies[5]).toMatchObject({ status: 400, json: { code: 201 } });
  });
});
