import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PardotSandbox } from './pardot-sandbox.harness.js';

const sandbox = new PardotSandbox(15203);
const V4 = '/api/prospect/version/4/do';
const ok = (result: Record<string, unknown>) => ({ '@attributes': { stat: 'ok', version: 1 }, ...result });
const fail = (code: number, err: string) => ({
  '@attributes': { stat: 'fail', version: 1, err_code: code },
  err,
});

beforeAll(async () => {
  await sandbox.start();
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  await sandbox.admin('POST', '/__admin/reset');
});

describe('v4 read', () => {
  it('reads by id in the format=json envelope with snake_case fields', async () => {
    const reply = await sandbox.call('POST', `${V4}/read/id/100001`, { form: { format: 'json' } });
    expect(reply.status).toBe(200);
    const prospect = (reply.json as { prospect: Record<string, unknown> }).prospect;
    expect(reply.json).toMatchObject(ok({ prospect: { id: 100001, ERP_Customer_Code__c: 'C00001' } }));
    expect(Object.keys(prospect)).toEqual(
      expect.arrayContaining([
        'first_name',
        'last_name',
        'email',
        'company',
        'score',
        'created_at',
        'updated_at',
        'crm_lead_fid',
      ]),
    );
    expect(prospect['created_at']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('reads every prospect with an email (AMPSEA), and answers XML without format=json', async () => {
    const email = (
      (await sandbox.call('GET', `${V4}/read/id/100002?format=json`)).json as { prospect: { email: string } }
    ).prospect.email;
    await sandbox.call('POST', '/api/v5/objects/prospects', { body: { email } });
    const both = (await sandbox.call('GET', `${V4}/read/email/${encodeURIComponent(email)}?format=json`))
      .json as { prospect: unknown[] };
    expect(both.prospect).toHaveLength(2);
    const xml = await sandbox.call('GET', `${V4}/read/id/100002`);
    expect(xml.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(xml.text).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<rsp stat="ok" version="1\.0"><prospect><id>100002<\/id>/,
    );
  });

  it('fails with the documented codes: unknown id (3), unknown email (4), unknown fid (77), in XML too', async () => {
    expect(await sandbox.call('GET', `${V4}/read/id/999999?format=json`)).toMatchObject({
      status: 400,
      json: fail(3, 'Invalid prospect ID'),
    });
    expect((await sandbox.call('GET', `${V4}/read/email/nobody%40nowhere.example?format=json`)).json).toEqual(
      fail(4, 'Invalid prospect email address'),
    );
    expect((await sandbox.call('GET', `${V4}/read/fid/00Q000000000001?format=json`)).json).toEqual(
      fail(77, 'Invalid prospect fid'),
    );
    expect((await sandbox.call('GET', `${V4}/read/id/999999`)).text).toContain(
      '<rsp stat="fail" version="1.0"><err code="3">Invalid prospect ID</err></rsp>',
    );
  });
});

describe('v4 update', () => {
  it('changes only the named fields (an empty value clears one) and returns the updated prospect', async () => {
    const reply = await sandbox.call('POST', `${V4}/update/id/100003`, {
      form: { format: 'json', job_title: 'Head of Fleet', phone: '', Last_Engagement_Score__c: '87' },
    });
    const prospect = (reply.json as { prospect: Record<string, unknown> }).prospect;
    expect(prospect).toMatchObject({
      id: 100003,
      job_title: 'Head of Fleet',
      phone: null,
      Last_Engagement_Score__c: 87,
    });
    expect(prospect['first_name']).toEqual(expect.any(String));
    const v5 = await sandbox.call('GET', '/api/v5/objects/prospects/100003?fields=jobTitle,phone');
    expect(v5.json).toEqual({ jobTitle: 'Head of Fleet', phone: null });
  });

  it('counts an update sent with GET as a write in the ledger', async () => {
    await sandbox.call('GET', `${V4}/update/id/100003?format=json&city=Lyon`);
    const ledger = (await sandbox.admin('GET', '/__admin/ledger')).json as {
      entries: { method: string; path: string; query?: Record<string, unknown> }[];
    };
    expect(ledger.entries).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: `${V4}/update/id/100003`,
        query: { format: 'json', city: 'Lyon' },
      }),
    ]);
  });

  it('refuses unknown fields (154), bad values (4, 29) and lists (55)', async () => {
    expect(
      (await sandbox.call('POST', `${V4}/update/id/100003`, { form: { format: 'json', shoe_size: '42' } }))
        .json,
    ).toMatchObject({ '@attributes': { err_code: 154 } });
    expect(
      (await sandbox.call('POST', `${V4}/update/id/100003`, { form: { format: 'json', email: 'nope' } }))
        .json,
    ).toMatchObject({ '@attributes': { err_code: 4 } });
    expect(
      (await sandbox.call('POST', `${V4}/update/id/100003`, { form: { format: 'json', score: 'high' } }))
        .json,
    ).toMatchObject({ '@attributes': { err_code: 29 } });
    expect(
      (await sandbox.call('POST', `${V4}/update/id/100003`, { form: { format: 'json', list_12: '1' } })).json,
    ).toMatchObject({ '@attributes': { err_code: 55 } });
  });
});

describe('v4 batchUpsert', () => {
  it('updates by id, creates by email, and reports the failing items by index', async () => {
    const prospects = JSON.stringify({
      prospects: [
        { id: 100004, first_name: 'Batched' },
        { email: 'batch-new@acme.example', first_name: 'Created' },
        { id: 999999, first_name: 'Ghost' },
        { first_name: 'No key' },
      ],
    });
    const reply = await sandbox.call('POST', `${V4}/batchUpsert`, { form: { format: 'json', prospects } });
    expect(reply.json).toEqual(
      ok({
        errors: { '2': 'Invalid prospect ID', '3': 'Non-existent prospect ID; No email address provided' },
      }),
    );
    expect((await sandbox.call('GET', '/api/v5/objects/prospects/100004?fields=firstName')).json).toEqual({
      firstName: 'Batched',
    });
    const created = await sandbox.call('GET', `${V4}/read/email/batch-new%40acme.example?format=json`);
    expect(created.json).toMatchObject({ prospect: { first_name: 'Created' } });
  });

  it('accepts prospects keyed by id and restores one from the recycle bin', async () => {
    await sandbox.call('DELETE', '/api/v5/objects/prospects/100005');
    const prospects = JSON.stringify({ prospects: { '100005': { city: 'Lyon' } } });
    expect(
      (await sandbox.call('POST', `${V4}/batchUpsert`, { form: { format: 'json', prospects } })).json,
    ).toEqual(ok({}));
    expect(
      (await sandbox.call('GET', '/api/v5/objects/prospects/100005?fields=city,isDeleted')).json,
    ).toEqual({ city: 'Lyon', isDeleted: false });
  });

  it('takes at most 50 prospects (70) of valid JSON (71), and needs the prospects parameter (13)', async () => {
    const many = JSON.stringify({
      prospects: Array.from({ length: 51 }, (_, i) => ({ email: `p${i}@acme.example` })),
    });
    expect(
      (await sandbox.call('POST', `${V4}/batchUpsert`, { form: { format: 'json', prospects: many } })).json,
    ).toEqual(fail(70, 'Batch processing is limited to 50 prospects at once.'));
    expect(
      (
        await sandbox.call('POST', `${V4}/batchUpsert`, {
          form: { format: 'json', prospects: '{"prospects": [' },
        })
      ).json,
    ).toEqual(fail(71, 'Input needs to be valid JSON or XML'));
    expect(
      (await sandbox.call('POST', `${V4}/batchUpsert`, { form: { format: 'json' } })).json,
    ).toMatchObject({ '@attributes': { err_code: 13 } });
  });
});

describe('v4 calls', () => {
  it('answers with the API version rules (88), the method rule (60) and unknown actions (2)', async () => {
    expect(
      (await sandbox.call('POST', '/api/prospect/version/3/do/read/id/100001', { form: { format: 'json' } }))
        .json,
    ).toEqual(fail(88, 'Your account must use version 4 of the API.'));
    expect(await sandbox.call('DELETE', `${V4}/read/id/100001?format=json`)).toMatchObject({
      status: 405,
      json: fail(60, 'Invalid HTTP request method'),
    });
    expect((await sandbox.call('POST', `${V4}/explode`, { form: { format: 'json' } })).json).toMatchObject({
      '@attributes': { err_code: 2 },
    });
    expect(
      await sandbox.call('POST', `${V4}/create/email/a%40b.example`, { form: { format: 'json' } }),
    ).toMatchObject({ status: 501 });
  });

  it('authenticates like v5, answering in the v4 envelope', async () => {
    expect(
      await sandbox.call('POST', `${V4}/read/id/100001`, { form: { format: 'json' }, token: false }),
    ).toMatchObject({
      status: 401,
      json: fail(
        184,
        expect.stringMatching(/^access_token is invalid, unknown, or malformed/) as unknown as string,
      ),
    });
  });
});

describe('a business unit without AMPSEA', () => {
  const strict = new PardotSandbox(15204, { PARDOT_AMPSEA: 'false' });
  beforeAll(async () => {
    await strict.start();
  });
  afterAll(async () => {
    await strict.stop();
  });

  it('refuses a second prospect with the same email (9) and uses API version 3 (89 on version 4)', async () => {
    await strict.call('POST', '/api/v5/objects/prospects', { body: { email: 'only@acme.example' } });
    expect(
      await strict.call('POST', '/api/v5/objects/prospects', { body: { email: 'only@acme.example' } }),
    ).toMatchObject({ status: 400, json: { code: 9 } });
    expect((await strict.call('POST', `${V4}/read/id/100001`, { form: { format: 'json' } })).json).toEqual(
      fail(89, 'Your account is unable to use version 4 of the API.'),
    );
    expect(
      (await strict.call('POST', '/api/prospect/version/3/do/read/id/100001', { form: { format: 'json' } }))
        .status,
    ).toBe(200);
  });
});
