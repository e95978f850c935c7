import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PardotSandbox, values } from './pardot-sandbox.harness.js';

const sandbox = new PardotSandbox(15202);
const FIELDS = '/api/v5/objects/custom-fields';
const VISITS = '/api/v5/objects/visitor-activities';
const EXTERNAL = '/api/v5/external-activities';

beforeAll(async () => {
  await sandbox.start();
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  await sandbox.admin('POST', '/__admin/reset');
});

describe('custom fields (/objects/custom-fields)', () => {
  it('lists the configured fields, creates, reads, renames and deletes one', async () => {
    const listed = values(await sandbox.call('GET', `${FIELDS}?fields=id,fieldId,type`));
    expect(listed.map((f) => [f['fieldId'], f['type']])).toEqual([
      ['ERP_Customer_Code__c', 'Text'],
      ['Last_Engagement_Score__c', 'Number'],
    ]);
    const created = await sandbox.call(
      'POST',
      `${FIELDS}?fields=id,name,fieldId,type,isRecordMultipleResponses`,
      {
        body: { name: 'Segments', fieldId: 'Segments__c', type: 'Multi-Select' },
      },
    );
    expect(created).toMatchObject({
      status: 201,
      json: {
        name: 'Segments',
        fieldId: 'Segments__c',
        type: 'Multi-Select',
        isRecordMultipleResponses: true,
      },
    });
    const id = (created.json as { id: number }).id;
    expect(
      (await sandbox.call('PATCH', `${FIELDS}/${id}?fields=name`, { body: { name: 'Market segments' } }))
        .json,
    ).toEqual({ name: 'Market segments' });
    expect((await sandbox.call('GET', `${FIELDS}/${id}?fields=name,fieldId`)).json).toEqual({
      name: 'Market segments',
      fieldId: 'Segments__c',
    });
    const prospect = await sandbox.call('POST', '/api/v5/objects/prospects?fields=Segments__c', {
      body: { email: 's@acme.example', Segments__c: ['Retail', 'Fleet'] },
    });
    expect(prospect.json).toEqual({ Segments__c: ['Retail', 'Fleet'] });
    expect((await sandbox.call('DELETE', `${FIELDS}/${id}`)).status).toBe(204);
    expect(await sandbox.call('GET', `${FIELDS}/${id}?fields=id`)).toMatchObject({
      status: 404,
      json: { code: 109 },
    });
    expect(
      await sandbox.call('POST', '/api/v5/objects/prospects', {
        body: { email: 't@acme.example', Segments__c: 'Retail' },
      }),
    ).toMatchObject({ json: { code: 154 } });
  });

  it('refuses a duplicate or standard fieldId, an unknown type, a missing name and a fieldId change', async () => {
    expect(
      await sandbox.call('POST', FIELDS, { body: { name: 'X', fieldId: 'ERP_Customer_Code__c' } }),
    ).toMatchObject({ status: 400, json: { code: 154 } });
    expect(await sandbox.call('POST', FIELDS, { body: { name: 'X', fieldId: 'email' } })).toMatchObject({
      json: { code: 154 },
    });
    expect(await sandbox.call('POST', FIELDS, { body: { name: 'X', type: 'Colour' } })).toMatchObject({
      json: { code: 154 },
    });
    expect(await sandbox.call('POST', FIELDS, { body: { type: 'Text' } })).toMatchObject({
      json: { code: 153 },
    });
    const first = values(await sandbox.call('GET', `${FIELDS}?fields=id`))[0] as { id: number };
    expect(
      await sandbox.call('PATCH', `${FIELDS}/${first.id}`, { body: { fieldId: 'Other__c' } }),
    ).toMatchObject({ json: { code: 180 } });
  });
});

describe('visitor activities (/objects/visitor-activities)', () => {
  it('queries the seeded activities with camelCase fields, by prospect and type', async () => {
    const all = values(
      await sandbox.call(
        'GET',
        `${VISITS}?fields=id,prospectId,type,typeName,details,campaign.name,createdAt&limit=1000`,
      ),
    );
    expect(all.length).toBe(200);
    expect(all[0]).toMatchObject({
      id: expect.any(Number),
      prospectId: expect.any(Number),
      type: expect.any(Number),
      typeName: expect.any(String),
      campaign: { name: expect.any(String) },
    });
    const prospectId = all[0]?.['prospectId'] as number;
    const mine = values(await sandbox.call('GET', `${VISITS}?fields=id,prospectId&prospectId=${prospectId}`));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((a) => a['prospectId'] === prospectId)).toBe(true);
    const opens = values(await sandbox.call('GET', `${VISITS}?fields=type,typeName&type=11&limit=1000`));
    expect(opens.every((a) => a['type'] === 11 && a['typeName'] === 'Open')).toBe(true);
  });

  it('reads one activity, and is read-only (405)', async () => {
    const first = values(await sandbox.call('GET', `${VISITS}?fields=id&limit=1`))[0] as { id: number };
    expect((await sandbox.call('GET', `${VISITS}/${first.id}?fields=id,typeName`)).json).toMatchObject({
      id: first.id,
    });
    expect(await sandbox.call('GET', `${VISITS}/1?fields=id`)).toMatchObject({
      status: 404,
      json: { code: 109 },
    });
    expect(await sandbox.call('POST', VISITS, { body: { type: 1 } })).toMatchObject({
      status: 405,
      json: { code: 60 },
    });
  });
});

describe('external activities (/external-activities)', () => {
  const activity = { extension: 'PardotX3', type: 'OrderShipped', value: 'SO-000123', email: '' };
  let email: string;

  beforeEach(async () => {
    email = (
      values(await sandbox.call('GET', '/api/v5/objects/prospects?fields=email&limit=1'))[0] as {
        email: string;
      }
    ).email;
  });

  it('is refused until the extension and type are registered and active for this business unit', async () => {
    const body = { ...activity, email };
    expect(await sandbox.call('POST', EXTERNAL, { body })).toMatchObject({
      status: 400,
      json: { code: 154, message: expect.stringMatching(/extension "PardotX3" is not registered/i) },
    });
    await sandbox.admin('POST', '/__admin/pardot/external-activity-types', {
      extension: 'PardotX3',
      type: 'InvoicePosted',
    });
    expect(await sandbox.call('POST', EXTERNAL, { body })).toMatchObject({
      json: { code: 154, message: expect.stringMatching(/not a registered activity type/i) },
    });
    await sandbox.admin('POST', '/__admin/pardot/external-activity-types', {
      extension: 'PardotX3',
      type: 'OrderShipped',
      active: false,
    });
    expect(await sandbox.call('POST', EXTERNAL, { body })).toMatchObject({
      json: { code: 154, message: expect.stringMatching(/not active in automations/i) },
    });
    await sandbox.admin('POST', '/__admin/pardot/external-activity-types', {
      extension: 'PardotX3',
      type: 'OrderShipped',
      extensionActive: false,
    });
    expect(await sandbox.call('POST', EXTERNAL, { body })).toMatchObject({
      json: { code: 154, message: expect.stringMatching(/extension "PardotX3" is not active/i) },
    });
    await sandbox.admin('POST', '/__admin/pardot/external-activity-types', {
      extension: 'PardotX3',
      type: 'OrderShipped',
      businessUnitId: '0Uv000000000009AAA',
    });
    expect(await sandbox.call('POST', EXTERNAL, { body })).toMatchObject({
      json: { code: 154, message: expect.stringMatching(/not assigned to this business unit/i) },
    });
    await sandbox.admin('POST', '/__admin/pardot/external-activity-types', {
      extension: 'PardotX3',
      type: 'OrderShipped',
    });
    expect((await sandbox.call('POST', EXTERNAL, { body })).status).toBe(204);
  });

  it('lands on the prospect: listed by prospectId, readable, and it makes the prospect active', async () => {
    await sandbox.admin('POST', '/__admin/pardot/external-activity-types', {
      extension: 'PardotX3',
      type: 'OrderShipped',
    });
    const created = await sandbox.call(
      'POST',
      `${EXTERNAL}?fields=id,prospectId,extension,type,value,email,activityDate`,
      {
        body: { ...activity, email, activityDate: '2026-11-20T10:00:00+00:00' },
      },
    );
    expect(created).toMatchObject({
      status: 201,
      json: {
        extension: 'PardotX3',
        type: 'OrderShipped',
        value: 'SO-000123',
        email,
        activityDate: '2026-11-20T10:00:00+00:00',
      },
    });
    const { id, prospectId } = created.json as { id: number; prospectId: number };
    expect(values(await sandbox.call('GET', `${EXTERNAL}?fields=id,value&prospectId=${prospectId}`))).toEqual(
      [{ id, value: 'SO-000123' }],
    );
    expect((await sandbox.call('GET', `${EXTERNAL}/${id}?fields=id,email`)).json).toEqual({ id, email });
  });

  it('accepts an activity date with fractional seconds (ISO 8601, as apis.md allows)', async () => {
    await sandbox.admin('POST', '/__admin/pardot/external-activity-types', {
      extension: 'PardotX3',
      type: 'OrderShipped',
    });
    const created = await sandbox.call('POST', `${EXTERNAL}?fields=id,activityDate`, {
      body: { ...activity, email, activityDate: '2026-11-20T10:00:00.250Z' },
    });
    expect(created).toMatchObject({ status: 201, json: { activityDate: '2026-11-20T10:00:00+00:00' } });
  });

  it('explains bad submissions: missing properties (153), unknown email (4), long value or bad date (154)', async () => {
    await sandbox.admin('POST', '/__admin/pardot/external-activity-types', {
      extension: 'PardotX3',
      type: 'OrderShipped',
    });
    expect(
      await sandbox.call('POST', EXTERNAL, { body: { extension: 'PardotX3', type: 'OrderShipped' } }),
    ).toMatchObject({
      status: 400,
      json: { code: 153, message: expect.stringMatching(/value, email/i) },
    });
    expect(
      await sandbox.call('POST', EXTERNAL, { body: { ...activity, email: 'nobody@nowhere.example' } }),
    ).toMatchObject({ json: { code: 4 } });
    expect(
      await sandbox.call('POST', EXTERNAL, { body: { ...activity, email, value: 'x'.repeat(101) } }),
    ).toMatchObject({ json: { code: 154 } });
    expect(
      await sandbox.call('POST', EXTERNAL, { body: { ...activity, email, activityDate: '2026-11-20' } }),
    ).toMatchObject({ json: { code: 154 } });
  });
});
