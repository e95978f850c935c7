import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PardotSandbox, values } from './pardot-sandbox.harness.js';

const sandbox = new PardotSandbox(15201);
const BASE = '/api/v5/objects/prospects';

beforeAll(async () => {
  await sandbox.start();
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  await sandbox.admin('POST', '/__admin/reset');
});

async function create(body: Record<string, unknown>): Promise<number> {
  const reply = await sandbox.call('POST', `${BASE}?fields=id`, { body });
  expect(reply.status).toBe(201);
  return (reply.json as { id: number }).id;
}

describe('create (POST /objects/prospects)', () => {
  it('answers 201 with the requested fields and a Location', async () => {
    const reply = await sandbox.call(
      'POST',
      `${BASE}?fields=id,email,firstName,createdAt,updatedAt,isDeleted`,
      {
        body: { email: 'jane@acme.example', firstName: 'Jane' },
      },
    );
    expect(reply.status).toBe(201);
    const body = reply.json as Record<string, unknown>;
    expect(body).toMatchObject({ email: 'jane@acme.example', firstName: 'Jane', isDeleted: false });
    expect(body['createdAt']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    expect(reply.headers.get('location')).toBe(`${sandbox.baseUrl}${BASE}/${String(body['id'])}`);
  });

  it('answers 204 with a Location when no fields are asked for', async () => {
    const reply = await sandbox.call('POST', BASE, { body: { email: 'x@acme.example' } });
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expect(reply.headers.get('location')).toMatch(/\/api\/v5\/objects\/prospects\/\d+$/);
  });

  it('creates a new prospect every time for the same email (AMPSEA)', async () => {
    const a = await create({ email: 'twin@acme.example' });
    const b = await create({ email: 'twin@acme.example' });
    expect(b).not.toBe(a);
  });

  it('needs an email (153) that is valid (4)', async () => {
    expect(await sandbox.call('POST', BASE, { body: { firstName: 'No' } })).toMatchObject({
      status: 400,
      json: { code: 153 },
    });
    expect(await sandbox.call('POST', BASE, { body: { email: 'not an email' } })).toMatchObject({
      status: 400,
      json: { code: 4 },
    });
  });

  it('refuses unknown fields (154), read-only fields (180) and values of the wrong type (56, 29)', async () => {
    expect(
      await sandbox.call('POST', BASE, { body: { email: 'a@b.example', favouriteColour: 'red' } }),
    ).toMatchObject({
      status: 400,
      json: { code: 154, message: expect.stringMatching(/^Invalid property in request\. "favouriteColour"/) },
    });
    expect(
      await sandbox.call('POST', BASE, { body: { email: 'a@b.example', createdAt: '2020-01-01' } }),
    ).toMatchObject({ json: { code: 180 } });
    expect(
      await sandbox.call('POST', BASE, { body: { email: 'a@b.example', Last_Engagement_Score__c: 'high' } }),
    ).toMatchObject({ json: { code: 56 } });
    expect(await sandbox.call('POST', BASE, { body: { email: 'a@b.example', score: 'ten' } })).toMatchObject({
      json: { code: 29 },
    });
  });

  it('rejects malformed JSON (150), another content type (151), an empty body (152) and a non-object (166)', async () => {
    expect(await sandbox.call('POST', BASE, { raw: '{"email": ' })).toMatchObject({
      status: 400,
      json: { code: 150, message: 'Input needs to be valid JSON' },
    });
    expect(await sandbox.call('POST', BASE, { form: { email: 'a@b.example' } })).toMatchObject({
      status: 400,
      json: { code: 151 },
    });
    expect(await sandbox.call('POST', BASE, {})).toMatchObject({ status: 400, json: { code: 152 } });
    expect(await sandbox.call('POST', BASE, { body: [{ email: 'a@b.example' }] })).toMatchObject({
      status: 400,
      json: { code: 166 },
    });
  });
});

describe('custom fields on prospects', () => {
  it('accepts a custom field only once it exists', async () => {
    const refused = await sandbox.call('POST', BASE, {
      body: { email: 'c@acme.example', Loyalty_Tier__c: 'Gold' },
    });
    expect(refused).toMatchObject({ status: 400, json: { code: 154 } });
    const field = await sandbox.call('POST', '/api/v5/objects/custom-fields?fields=id,fieldId,type', {
      body: { name: 'Loyalty Tier', fieldId: 'Loyalty_Tier__c', type: 'Dropdown' },
    });
    expect(field).toMatchObject({ status: 201, json: { fieldId: 'Loyalty_Tier__c', type: 'Dropdown' } });
    const created = await sandbox.call('POST', `${BASE}?fields=Loyalty_Tier__c`, {
      body: { email: 'c@acme.example', Loyalty_Tier__c: 'Gold' },
    });
    expect(created).toMatchObject({ status: 201, json: { Loyalty_Tier__c: 'Gold' } });
  });

  it('carries the ERP customer code on seeded contacts', async () => {
    const reply = await sandbox.call('GET', `${BASE}/100001?fields=email,company,ERP_Customer_Code__c`);
    expect(reply.json).toMatchObject({ ERP_Customer_Code__c: 'C00001' });
  });

  it('checks date custom fields (57)', async () => {
    await sandbox.call('POST', '/api/v5/objects/custom-fields', {
      body: { name: 'Last Order', fieldId: 'Last_Order_Date__c', type: 'Date' },
    });
    expect(
      await sandbox.call('POST', BASE, {
        body: { email: 'd@acme.example', Last_Order_Date__c: 'yesterday' },
      }),
    ).toMatchObject({ json: { code: 57 } });
    expect(
      (
        await sandbox.call('POST', BASE, {
          body: { email: 'd@acme.example', Last_Order_Date__c: '2026-11-20' },
        })
      ).status,
    ).toBe(204);
  });
});

describe('read (GET /objects/prospects/{id})', () => {
  it('returns only the requested fields, related campaign nested', async () => {
    const reply = await sandbox.call('GET', `${BASE}/100001?fields=id,email,campaign.name`);
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.json as object).sort()).toEqual(['campaign', 'email', 'id']);
  });

  it('needs fields (13), known fields (5), an existing id (404, 3)', async () => {
    expect(await sandbox.call('GET', `${BASE}/100001`)).toMatchObject({ status: 400, json: { code: 13 } });
    expect(await sandbox.call('GET', `${BASE}/100001?fields=id,shoeSize`)).toMatchObject({
      status: 400,
      json: { code: 5 },
    });
    expect(await sandbox.call('GET', `${BASE}/999999?fields=id`)).toMatchObject({
      status: 404,
      json: { code: 3, message: 'Invalid prospect ID' },
    });
  });
});

describe('update (PATCH /objects/prospects/{id})', () => {
  it('changes only the fields sent, moves updatedAt on every write, and returns the requested fields', async () => {
    const id = await create({ email: 'u@acme.example', firstName: 'Una', lastName: 'Kept' });
    const before = (await sandbox.call('GET', `${BASE}/${id}?fields=updatedAt`)).json as {
      updatedAt: string;
    };
    const first = await sandbox.call('PATCH', `${BASE}/${id}?fields=firstName,lastName,updatedAt`, {
      body: { firstName: 'Ursula' },
    });
    expect(first).toMatchObject({ status: 200, json: { firstName: 'Ursula', lastName: 'Kept' } });
    const second = await sandbox.call('PATCH', `${BASE}/${id}?fields=updatedAt`, {
      body: { jobTitle: 'Buyer' },
    });
    const stamps = [
      before.updatedAt,
      (first.json as { updatedAt: string }).updatedAt,
      (second.json as { updatedAt: string }).updatedAt,
    ];
    expect(new Set(stamps).size).toBe(3);
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('answers 204 without fields, 404/3 for an unknown id and 400/219 for a deleted prospect', async () => {
    const id = await create({ email: 'v@acme.example' });
    expect((await sandbox.call('PATCH', `${BASE}/${id}`, { body: { city: 'Lyon' } })).status).toBe(204);
    expect(await sandbox.call('PATCH', `${BASE}/999999`, { body: { city: 'Lyon' } })).toMatchObject({
      status: 404,
      json: { code: 3 },
    });
    await sandbox.call('DELETE', `${BASE}/${id}`);
    expect(await sandbox.call('PATCH', `${BASE}/${id}`, { body: { city: 'Lyon' } })).toMatchObject({
      status: 400,
      json: { code: 219 },
    });
  });

  it('refuses an invalid email (4) and methods the resource does not have (405, 60)', async () => {
    expect(await sandbox.call('PATCH', `${BASE}/100001`, { body: { email: 'nope' } })).toMatchObject({
      status: 400,
      json: { code: 4 },
    });
    expect(await sandbox.call('PUT', `${BASE}/100001`, { body: { city: 'x' } })).toMatchObject({
      status: 405,
      json: { code: 60, message: 'Invalid HTTP request method' },
    });
  });
});

describe('delete (DELETE /objects/prospects/{id})', () => {
  it('moves the prospect to the recycle bin: 204, then reads answer 404 with Pardot-Warning 201', async () => {
    const id = await create({ email: 'gone@acme.example' });
    expect((await sandbox.call('DELETE', `${BASE}/${id}`)).status).toBe(204);
    const read = await sandbox.call('GET', `${BASE}/${id}?fields=id`);
    expect(read).toMatchObject({ status: 404, json: { code: 132 } });
    expect(read.headers.get('pardot-warning')).toBe('201;Record In Recycle Bin');
    expect((await sandbox.call('GET', `${BASE}/${id}?fields=id,isDeleted&deleted=true`)).json).toEqual({
      id,
      isDeleted: true,
    });
    expect(await sandbox.call('DELETE', `${BASE}/${id}`)).toMatchObject({ status: 404, json: { code: 3 } });
  });
});

describe('query (GET /objects/prospects)', () => {
  it('pages with nextPageToken until every prospect was seen once', async () => {
    const seen: number[] = [];
    let reply = await sandbox.call('GET', `${BASE}?fields=id,email&limit=25`);
    for (;;) {
      const page = reply.json as {
        values: { id: number }[];
        nextPageToken: string | null;
        nextPageUrl: string | null;
      };
      seen.push(...page.values.map((v) => v.id));
      if (!page.nextPageToken) {
        expect(page.nextPageUrl).toBeNull();
        break;
      }
      expect(page.nextPageUrl).toContain(`nextPageToken=${page.nextPageToken}`);
      reply = await sandbox.call('GET', `${BASE}?fields=id,email&nextPageToken=${page.nextPageToken}`);
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('filters on updatedAt and orders by it: a poller sees exactly the prospects written after its watermark', async () => {
    const watermark = new Date(Date.now() - 1000).toISOString().replace('Z', '+00:00');
    const a = await create({ email: 'p1@acme.example' });
    await sandbox.call('PATCH', `${BASE}/100005`, { body: { city: 'Paris' } });
    const reply = await sandbox.call(
      'GET',
      `${BASE}?fields=id,updatedAt&updatedAtAfter=${encodeURIComponent(watermark)}&orderBy=updatedAt asc`,
    );
    expect(
      values(reply)
        .map((v) => v['id'])
        .sort(),
    ).toEqual([100005, a].sort());
  });

  it('orders descending and filters by id range', async () => {
    const reply = await sandbox.call(
      'GET',
      `${BASE}?fields=id&idGreaterThan=100010&idLessThanOrEqualTo=100013&orderBy=id desc`,
    );
    expect(values(reply).map((v) => v['id'])).toEqual([100013, 100012, 100011]);
  });

  it('lists prospects in the recycle bin with deleted=true', async () => {
    await sandbox.call('DELETE', `${BASE}/100002`);
    expect(values(await sandbox.call('GET', `${BASE}?fields=id&deleted=true`)).map((v) => v['id'])).toEqual([
      100002,
    ]);
    expect(
      values(await sandbox.call('GET', `${BASE}?fields=id&limit=1000`)).map((v) => v['id']),
    ).not.toContain(100002);
  });

  it('applies Pardot’s rules: fields required (13), limit ≤ 1000 (23), only fields with a token (5), bad token (211), ≤ 3 filtered fields (209), unknown parameter (5), bad date (7)', async () => {
    expect(await sandbox.call('GET', BASE)).toMatchObject({ status: 400, json: { code: 13 } });
    expect(await sandbox.call('GET', `${BASE}?fields=id&limit=1001`)).toMatchObject({
      status: 400,
      json: { code: 23 },
    });
    const first = (await sandbox.call('GET', `${BASE}?fields=id&limit=5`)).json as { nextPageToken: string };
    expect(
      await sandbox.call('GET', `${BASE}?fields=id&limit=5&nextPageToken=${first.nextPageToken}`),
    ).toMatchObject({ status: 400, json: { code: 5 } });
    expect(await sandbox.call('GET', `${BASE}?fields=id&nextPageToken=forged`)).toMatchObject({
      status: 400,
      json: { code: 211, message: 'Page token is invalid.' },
    });
    const four =
      'idGreaterThan=1&createdAtAfter=2020-01-01T00:00:00%2B00:00&updatedAtAfter=2020-01-01T00:00:00%2B00:00&lastActivityAtAfter=2020-01-01T00:00:00%2B00:00';
    expect(await sandbox.call('GET', `${BASE}?fields=id&${four}`)).toMatchObject({
      status: 400,
      json: { code: 209 },
    });
    expect(await sandbox.call('GET', `${BASE}?fields=id&shoeSize=42`)).toMatchObject({
      status: 400,
      json: { code: 5 },
    });
    expect(await sandbox.call('GET', `${BASE}?fields=id&updatedAtAfter=last-tuesday`)).toMatchObject({
      status: 400,
      json: { code: 7 },
    });
  });
});

describe('upsertLatestByEmail (POST /objects/prospects/do/upsertLatestByEmail)', () => {
  const UPSERT = `${BASE}/do/upsertLatestByEmail`;

  it('creates when no prospect has the email (201) and updates it next time (200)', async () => {
    const body = {
      matchEmail: 'new@acme.example',
      prospect: { firstName: 'New', ERP_Customer_Code__c: 'C09999' },
      fields: ['id', 'email', 'firstName', 'ERP_Customer_Code__c'],
    };
    const created = await sandbox.call('POST', UPSERT, { body });
    expect(created).toMatchObject({
      status: 201,
      json: { email: 'new@acme.example', firstName: 'New', ERP_Customer_Code__c: 'C09999' },
    });
    const updated = await sandbox.call('POST', UPSERT, {
      body: { ...body, prospect: { firstName: 'Renamed' } },
    });
    expect(updated).toMatchObject({
      status: 200,
      json: { id: (created.json as { id: number }).id, firstName: 'Renamed', ERP_Customer_Code__c: 'C09999' },
    });
  });

  it('updates, among prospects sharing the email, the one active most recently (not the one updated last)', async () => {
    const older = await create({ email: 'shared@acme.example' });
    // An external activity makes the older prospect active…
    await sandbox.admin('POST', '/__admin/pardot/external-activity-types', {
      extension: 'PardotX3',
      type: 'OrderShipped',
    });
    const activity = await sandbox.call('POST', '/api/v5/external-activities', {
      body: { extension: 'PardotX3', type: 'OrderShipped', value: 'SO-1', email: 'shared@acme.example' },
    });
    expect(activity.status).toBe(204);
    // …then a second prospect with the same email is created (and updated) later, without activity.
    const newer = await create({ email: 'shared@acme.example' });
    await sandbox.call('PATCH', `${BASE}/${newer}`, { body: { city: 'Lyon' } });
    const reply = await sandbox.call('POST', UPSERT, {
      body: { matchEmail: 'shared@acme.example', prospect: { jobTitle: 'CFO' }, fields: ['id', 'jobTitle'] },
    });
    expect(reply).toMatchObject({ status: 200, json: { id: older, jobTitle: 'CFO' } });
  });

  it('restores the latest prospect from the recycle bin with secondaryDeletedSearch', async () => {
    const id = await create({ email: 'binned@acme.example' });
    await sandbox.call('DELETE', `${BASE}/${id}`);
    const reply = await sandbox.call('POST', UPSERT, {
      body: {
        matchEmail: 'binned@acme.example',
        prospect: { city: 'Lyon' },
        fields: ['id', 'isDeleted', 'city'],
        secondaryDeletedSearch: true,
      },
    });
    expect(reply).toMatchObject({ status: 200, json: { id, isDeleted: false, city: 'Lyon' } });
    const without = await sandbox.call('POST', UPSERT, {
      body: { matchEmail: 'binned2@acme.example', prospect: {}, fields: ['id'] },
    });
    expect(without.status).toBe(201);
  });

  it('answers 204 without fields and explains a bad request (153, 4, 154)', async () => {
    expect(
      (await sandbox.call('POST', UPSERT, { body: { matchEmail: 'q@acme.example', prospect: {} } })).status,
    ).toBe(204);
    expect(await sandbox.call('POST', UPSERT, { body: { prospect: {} } })).toMatchObject({
      status: 400,
      json: { code: 153 },
    });
    expect(await sandbox.call('POST', UPSERT, { body: { matchEmail: 'q@acme.example' } })).toMatchObject({
      status: 400,
      json: { code: 153 },
    });
    expect(await sandbox.call('POST', UPSERT, { body: { matchEmail: 'bad', prospect: {} } })).toMatchObject({
      status: 400,
      json: { code: 4 },
    });
    expect(
      await sandbox.call('POST', UPSERT, {
        body: { matchEmail: 'q@acme.example', prospect: {}, merge: true },
      }),
    ).toMatchObject({ status: 400, json: { code: 154 } });
    expect(
      await sandbox.call('POST', UPSERT, {
        body: { matchEmail: 'q@acme.example', prospect: { Unknown__c: 1 } },
      }),
    ).toMatchObject({ status: 400, json: { code: 154 } });
  });

  it('says plainly that undelete and tags are not implemented (501)', async () => {
    expect(await sandbox.call('POST', `${BASE}/do/undelete`, { body: {} })).toMatchObject({
      status: 501,
      json: { code: 2 },
    });
    expect(await sandbox.call('POST', `${BASE}/100001/do/addTag`, { body: {} })).toMatchObject({
      status: 501,
      json: { code: 2 },
    });
  });
});
