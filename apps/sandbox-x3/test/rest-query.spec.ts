import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { X3Sandbox, messages } from './x3-sandbox.harness.js';

const sandbox = new X3Sandbox(15300);
const Q = 'representation=BPCUSTOMER.$query';

beforeAll(async () => {
  await sandbox.start();
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  await sandbox.admin('POST', '/__admin/reset');
});

describe('authentication and addressing', () => {
  it('needs Basic credentials of a configured user (401 with WWW-Authenticate)', async () => {
    const anonymous = await sandbox.send('GET', `/api1/x3/erp/SEED/BPCUSTOMER?${Q}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="Sage X3"');
    expect(messages(anonymous)[0]).toMatch(/Authentication failed/);
    const wrong = await sandbox.send('GET', `/api1/x3/erp/SEED/BPCUSTOMER?${Q}`, undefined, {
      authorization: `Basic ${Buffer.from('px3:nope').toString('base64')}`,
    });
    expect(wrong.status).toBe(401);
  });

  it('answers 404 for an unknown folder or class, 400 without a representation or with one of another class', async () => {
    expect((await sandbox.send('GET', `/api1/x3/erp/NOPE/BPCUSTOMER?${Q}`, undefined, auth())).status).toBe(
      404,
    );
    expect(await sandbox.api('GET', `BPCUSTOMERS?${Q}`)).toMatchObject({ status: 404 });
    const missing = await sandbox.api('GET', 'BPCUSTOMER');
    expect(missing.status).toBe(400);
    expect(messages(missing)[0]).toMatch(/representation parameter is mandatory/);
    const foreign = await sandbox.api('GET', 'BPCUSTOMER?representation=SOH.$query');
    expect(foreign.status).toBe(400);
    expect(messages(foreign)[0]).toMatch(/does not belong to class BPCUSTOMER/);
    expect((await sandbox.api('GET', 'BPCUSTOMER?representation=BPCUSTOMER.$details')).status).toBe(400);
    expect((await sandbox.api('GET', 'ITMMVT?representation=ITMMVT.$create')).status).toBe(400);
  });
});

describe('$query', () => {
  it('returns the SData feed: 20 per page by default, with $uuid, $key, $url, $etag on each resource', async () => {
    const reply = await sandbox.api('GET', `BPCUSTOMER?${Q}`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.json).toMatchObject({ $startIndex: 1, $itemsPerPage: 20, $totalResults: 20 });
    const resources = reply.json['$resources'] as Record<string, unknown>[];
    expect(resources).toHaveLength(20);
    expect(resources[0]).toMatchObject({
      $key: 'C00001',
      BPCNUM: 'C00001',
      $uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      $url: `${sandbox.baseUrl}/api1/x3/erp/SEED/BPCUSTOMER('C00001')?representation=BPCUSTOMER.$details`,
      $etag: expect.stringMatching(/Z$/),
      UPDTICK: 1,
    });
    expect(reply.json['$links']).toEqual({});
  });

  it('pages with count and $links.$next.$url (key=gt.) until the end', async () => {
    const keys: string[] = [];
    let url: string | undefined = `${sandbox.baseUrl}/api1/x3/erp/SEED/BPCUSTOMER?${Q}&count=7`;
    while (url) {
      const reply = await sandbox.send('GET', url.slice(sandbox.baseUrl.length), undefined, auth());
      keys.push(...(reply.json['$resources'] as { $key: string }[]).map((r) => r.$key));
      url = (reply.json['$links'] as { $next?: { $url: string } }).$next?.$url;
      if (url) expect(url).toContain('key=gt.');
    }
    expect(keys).toHaveLength(20);
    expect(new Set(keys).size).toBe(20);
  });

  it('filters with where (UPDDATTIM gt @…@, functions) and sorts with orderBy', async () => {
    const before = new Date(Date.now() - 1000).toISOString().slice(0, 19) + 'Z';
    await sandbox.api('PUT', "BPCUSTOMER('C00007')?representation=BPCUSTOMER.$edit", {
      TEL: '+33 1 99 00 00 00',
    });
    await sandbox.api('PUT', "BPCUSTOMER('C00003')?representation=BPCUSTOMER.$edit", {
      TEL: '+33 1 99 00 00 01',
    });
    const changed = await sandbox.api(
      'GET',
      `BPCUSTOMER?${Q}&where=${encodeURIComponent(`UPDDATTIM gt @${before}@`)}&orderBy=UPDDATTIM`,
    );
    // Both changed within the same second, as X3 stamps them: compare the set.
    expect((changed.json['$resources'] as { $key: string }[]).map((r) => r.$key).sort()).toEqual([
      'C00003',
      'C00007',
    ]);
    const some = await sandbox.api(
      'GET',
      `BPCUSTOMER?${Q}&where=${encodeURIComponent("left(BPCNUM,5) eq 'C0001'")}&orderBy=${encodeURIComponent('BPCNUM desc')}&count=3`,
    );
    expect((some.json['$resources'] as { $key: string }[]).map((r) => r.$key)).toEqual([
      'C00019',
      'C00018',
      'C00017',
    ]);
    expect(some.json['$totalResults']).toBe(10);
    expect((some.json['$links'] as { $next: { $url: string } }).$next.$url).toContain('startIndex=4');
  });

  it('starts after a key with key=gt.', async () => {
    const reply = await sandbox.api('GET', `BPCUSTOMER?${Q}&key=gt.C00018`);
    expect((reply.json['$resources'] as { $key: string }[]).map((r) => r.$key)).toEqual(['C00019', 'C00020']);
  });

  it('answers 400 for a malformed where or an unknown orderBy property, 500 for an unknown where property', async () => {
    const syntax = await sandbox.api(
      'GET',
      `BPCUSTOMER?${Q}&where=${encodeURIComponent("BPCNUM = 'C00001'")}`,
    );
    expect(syntax.status).toBe(400);
    expect(messages(syntax)[0]).toMatch(/Syntax error in where clause/);
    const unknown = await sandbox.api('GET', `BPCUSTOMER?${Q}&where=${encodeURIComponent("BPCGRP eq 'A'")}`);
    expect(unknown.status).toBe(500);
    expect(messages(unknown)).toEqual(['Property BPCGRP does not exist']);
    expect((await sandbox.api('GET', `BPCUSTOMER?${Q}&orderBy=NOPE`)).status).toBe(400);
    expect((await sandbox.api('GET', `BPCUSTOMER?${Q}&count=0`)).status).toBe(400);
  });

  it('queries products and stock, with stock keyed by item~site', async () => {
    const items = await sandbox.api('GET', 'ITMMASTER?representation=ITMMASTER.$query&count=100');
    expect(items.json['$totalResults']).toBe(30);
    const stock = await sandbox.api(
      'GET',
      `ITMMVT?representation=ITMMVT.$query&where=${encodeURIComponent("ITMREF eq 'BIK-1001'")}`,
    );
    expect((stock.json['$resources'] as { $key: string }[]).map((r) => r.$key)).toEqual([
      'BIK-1001~FR011',
      'BIK-1001~US011',
    ]);
  });
});

describe('$details', () => {
  it('reads one record by key', async () => {
    const reply = await sandbox.api('GET', "BPCUSTOMER('C00001')?representation=BPCUSTOMER.$details");
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      BPCNUM: 'C00001',
      $uuid: expect.any(String),
      $etag: expect.any(String),
      OSTCTL: 2,
      BPCSTA: 2,
      WEB: expect.stringMatching(/@/),
    });
    const stock = await sandbox.api('GET', "ITMMVT('BIK-1001~FR011')?representation=ITMMVT.$details");
    expect(stock.json).toMatchObject({ ITMREF: 'BIK-1001', STOFCY: 'FR011', PHYSTO: expect.any(Number) });
  });

  it('answers a missing record with 200 and "721 : Record does not exist" in $diagnoses', async () => {
    const reply = await sandbox.api('GET', "BPCUSTOMER('C99999')?representation=BPCUSTOMER.$details");
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      $diagnoses: [{ $severity: 'error', $message: '721 : Record does not exist' }],
    });
  });

  it('says plainly what it does not implement (501)', async () => {
    expect((await sandbox.api('GET', 'BPCUSTOMER?representation=BPCUSTOMER.$lookup')).status).toBe(501);
    expect((await sandbox.api('GET', 'BPCUSTOMER/$template?representation=BPCUSTOMER.$create')).status).toBe(
      501,
    );
  });
});

function auth(): Record<string, string> {
  return { authorization: `Basic ${Buffer.from('px3:x3-test-password').toString('base64')}` };
}
