import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type jsforce from 'jsforce';
import { startTestSandbox, type TestSandbox } from './sandbox-salesforce.fixture.js';

interface DescribedField {
  name: string;
  type: string;
  length: number;
  externalId: boolean;
  unique: boolean;
  custom: boolean;
  idLookup: boolean;
  picklistValues: { value: string }[];
}

interface ChangeEvent {
  data: {
    payload: Record<string, unknown> & {
      ChangeEventHeader: { changeType: string; recordIds: string[]; changedFields: string[] };
    };
  };
}

/**
 * The org's object metadata (issue 14): describe-shaped, with the standard fields apis.md names
 * (Account.Rating) and the org's own custom fields declared at start (SF_CUSTOM_FIELDS) or through the
 * admin API, enforced on writes and visible in describe. Checked with jsforce, unchanged.
 */
describe('Salesforce sandbox org metadata: standard fields and declared custom fields', () => {
  let sandbox: TestSandbox;
  let conn: jsforce.Connection;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'px3-sf-fields-'));
    const file = join(dir, 'custom-fields.yaml');
    writeFileSync(
      file,
      [
        'Account:',
        '  - { name: Ext_Id__c, type: Text, length: 20, externalId: true, unique: true, label: External Id }',
        '',
      ].join('\n'),
    );
    sandbox = await startTestSandbox({ SF_CUSTOM_FIELDS: file });
    conn = await sandbox.connection({ client: 'px3-metadata-test' });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  const describeField = async (object: string, name: string): Promise<DescribedField | undefined> =>
    ((await conn.sobject(object).describe()).fields as unknown as DescribedField[]).find(
      (f) => f.name === name,
    );

  it('describes a custom external id field of length 20 declared in SF_CUSTOM_FIELDS', async () => {
    expect(await describeField('Account', 'Ext_Id__c')).toMatchObject({
      type: 'string',
      length: 20,
      externalId: true,
      unique: true,
      custom: true,
      idLookup: true,
    });
  });

  it('upserts through it (PATCH /sobjects/Account/Ext_Id__c/<value>): created, then updated', async () => {
    const created = await conn
      .sobject('Account')
      .upsert({ Ext_Id__c: 'ERP-0000000000000042', Name: 'Upsert Co' }, 'Ext_Id__c');
    expect(created).toMatchObject({ success: true, created: true });
    const updated = await conn
      .sobject('Account')
      .upsert({ Ext_Id__c: 'erp-0000000000000042', Name: 'Upsert Company' }, 'Ext_Id__c');
    expect(updated).toMatchObject({ success: true, created: false, id: (created as { id: string }).id });
    const rows = await conn.query<{ Name: string }>(
      "SELECT Name FROM Account WHERE Ext_Id__c = 'ERP-0000000000000042'",
    );
    expect(rows.records.map((r) => r.Name)).toEqual(['Upsert Company']);
  });

  it('refuses a value longer than the field as Salesforce does (400 STRING_TOO_LONG) and a duplicate (DUPLICATE_VALUE)', async () => {
    const token = await sandbox.token();
    const tooLong = await fetch(`${sandbox.url}/services/data/v60.0/sobjects/Account`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ Name: 'Too Long', Ext_Id__c: 'X'.repeat(21) }),
    });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toEqual([
      {
        errorCode: 'STRING_TOO_LONG',
        message: expect.stringMatching(/^External Id: data value too large: X{21} \(max length=20\)$/),
        fields: ['Ext_Id__c'],
      },
    ]);
    await conn.sobject('Account').create({ Name: 'First', Ext_Id__c: 'UNIQUE-1' });
    const duplicate = await fetch(`${sandbox.url}/services/data/v60.0/sobjects/Account`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ Name: 'Second', Ext_Id__c: 'unique-1' }),
    });
    expect(duplicate.status).toBe(400);
    expect(((await duplicate.json()) as { errorCode: string }[])[0]?.errorCode).toBe('DUPLICATE_VALUE');
  });

  it('declares custom fields through the admin API, shown in describe and enforced on writes', async () => {
    const declared = await sandbox.admin('POST', '/salesforce/custom-fields', {
      Contact: [{ name: 'Loyalty_Number__c', type: 'Text', length: 8, externalId: true }],
    });
    expect(declared.status).toBe(201);
    expect(await describeField('Contact', 'Loyalty_Number__c')).toMatchObject({
      length: 8,
      externalId: true,
      unique: false,
    });
    const contact = await conn
      .sobject('Contact')
      .upsert({ Loyalty_Number__c: 'L0000001', LastName: 'Loyal' }, 'Loyalty_Number__c');
    expect(contact).toMatchObject({ success: true, created: true });
    await expect(
      conn.sobject('Contact').create({ LastName: 'Long', Loyalty_Number__c: '123456789' }),
    ).rejects.toMatchObject({
      errorCode: 'STRING_TOO_LONG',
    });
    // What Setup would refuse is refused, and nothing is added.
    for (const bad of [
      { Contact: [{ name: 'Loyalty_Number__c', type: 'Text', length: 8 }] },
      { Contact: [{ name: 'No_Length__c', type: 'Text' }] },
      { Contact: [{ name: 'Flag__c', type: 'Checkbox', externalId: true }] },
      { Contact: [{ name: 'Bad Name', type: 'Text', length: 5 }] },
      { Nothing: [{ name: 'X__c', type: 'Text', length: 5 }] },
    ]) {
      expect((await sandbox.admin('POST', '/salesforce/custom-fields', bad)).status).toBe(400);
    }
    expect(await describeField('Contact', 'No_Length__c')).toBeUndefined();
  });

  it('has the standard Account.Rating picklist, and an edit of it reaches CDC with only the changed fields', async () => {
    expect((await describeField('Account', 'Rating'))?.picklistValues.map((v) => v.value)).toEqual([
      'Hot',
      'Warm',
      'Cold',
    ]);
    const account = await conn.sobject('Account').create({ Name: 'Rated Co', Rating: 'Warm' });
    const id = (account as { id: string }).id;
    await conn.sobject('Account').update({ Id: id, Rating: 'Hot' });
    const events = (
      (await sandbox.admin('GET', '/salesforce/change-events')).body as { events: ChangeEvent[] }
    ).events.filter((e) => e.data.payload.ChangeEventHeader.recordIds.includes(id));
    expect(events.map((e) => e.data.payload.ChangeEventHeader.changeType)).toEqual(['CREATE', 'UPDATE']);
    expect(events[0]?.data.payload['Rating']).toBe('Warm');
    expect(events[1]?.data.payload.ChangeEventHeader.changedFields.sort()).toEqual([
      'LastModifiedDate',
      'Rating',
    ]);
    expect(events[1]?.data.payload['Rating']).toBe('Hot');
  });
});
