import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jsforce from 'jsforce';
import { startTestSandbox, type TestSandbox } from './sandbox-salesforce.fixture.js';

/**
 * The "must show" for Salesforce: jsforce 3, unchanged, against the sandbox — CRUD, upsert by
 * external id, autoFetch over more than 2,000 records, sObject Collections.
 */
describe('jsforce against the Salesforce sandbox', () => {
  let sandbox: TestSandbox;
  let conn: jsforce.Connection;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    conn = await sandbox.connection({ client: 'px3-must-show' });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('creates, retrieves, updates and deletes a record', async () => {
    const created = await conn
      .sobject('Account')
      .create({ Name: 'Express Logistics', Industry: 'Transportation', X3_Customer_Code__c: 'C90001' });
    expect(created).toMatchObject({ success: true, errors: [] });
    expect(created.id).toMatch(/^001[A-Za-z0-9]{15}$/);

    const read = await conn.sobject('Account').retrieve(created.id as string);
    expect(read).toMatchObject({
      Id: created.id,
      Name: 'Express Logistics',
      Industry: 'Transportation',
      attributes: { type: 'Account' },
    });
    expect(read['CreatedDate']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/);

    const updated = await conn
      .sobject('Account')
      .update({ Id: created.id as string, Name: 'Express Logistics and Transport' });
    expect(updated).toMatchObject({ id: created.id, success: true });
    expect((await conn.sobject('Account').retrieve(created.id as string))['Name']).toBe(
      'Express Logistics and Transport',
    );

    await conn.sobject('Account').destroy(created.id as string);
    await expect(conn.sobject('Account').retrieve(created.id as string)).rejects.toMatchObject({
      errorCode: 'ENTITY_IS_DELETED',
    });
  });

  it('upserts by external id: 201 created:true, then an update answering created:false', async () => {
    const first = await conn
      .sobject('Account')
      .upsert({ X3_Customer_Code__c: 'C90002', Name: 'Union Supplies' }, 'X3_Customer_Code__c');
    expect(first).toMatchObject({ success: true, created: true });
    const second = await conn
      .sobject('Account')
      .upsert({ X3_Customer_Code__c: 'C90002', Name: 'Union Supplies Ltd' }, 'X3_Customer_Code__c');
    expect(second).toMatchObject({ id: (first as { id: string }).id, success: true, created: false });
    const rows = await conn.query<{ Name: string }>(
      "SELECT Name FROM Account WHERE X3_Customer_Code__c = 'C90002'",
    );
    expect(rows.records.map((r) => r.Name)).toEqual(['Union Supplies Ltd']);
  });

  it('pages a query of more than 2,000 records with nextRecordsUrl, and autoFetch reads them all', async () => {
    const seeded = await sandbox.admin('POST', '/seed', {
      seed: 7,
      counts: {
        companies: 10,
        contacts: 2_345,
        leads: 0,
        products: 1,
        opportunities: 0,
        visitorActivities: 0,
      },
    });
    expect(seeded).toMatchObject({ status: 200 });
    const first = await conn.query<{ Id: string }>('SELECT Id, Email FROM Contact ORDER BY Email');
    expect(first.totalSize).toBe(2_345);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2_000);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v60\.0\/query\/01g[A-Za-z0-9]{15}-2000$/);
    const rest = await conn.queryMore<{ Id: string }>(first.nextRecordsUrl as string);
    expect(rest).toMatchObject({ done: true, totalSize: 2_345 });
    expect(rest.records).toHaveLength(345);

    const all: { Id: string; Email: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query<{ Id: string; Email: string }>('SELECT Id, Email FROM Contact ORDER BY Email')
        .on('record', (record: { Id: string; Email: string }) => all.push(record))
        .on('end', () => resolve())
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 10_000 });
    });
    expect(all).toHaveLength(2_345);
    expect(new Set(all.map((r) => r.Id)).size).toBe(2_345);
    const emails = all.map((r) => r.Email.toLowerCase());
    expect(emails).toEqual([...emails].sort((a, b) => a.localeCompare(b)));
  });

  it('runs sObject Collections create, update, upsert and delete, all or none both ways', async () => {
    const account = conn.sobject('Account');
    const mixed = await account.create([{ Name: 'Good One' }, { Industry: 'Retail' }, { Name: 'Good Two' }], {
      allOrNone: false,
    });
    expect(mixed.map((r) => r.success)).toEqual([true, false, true]);
    expect(mixed[1]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] }],
    });

    const before = await conn.query('SELECT COUNT() FROM Account');
    const rolledBack = await account.create([{ Name: 'Never Saved' }, { Industry: 'Retail' }], {
      allOrNone: true,
    });
    expect(rolledBack[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }],
    });
    expect(rolledBack[1]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'REQUIRED_FIELD_MISSING' }],
    });
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(before.totalSize);
    expect((await conn.query("SELECT Id FROM Account WHERE Name = 'Never Saved'")).totalSize).toBe(0);

    const ids = mixed.filter((r) => r.success).map((r) => r.id as string);
    const updated = await account.update(
      ids.map((Id, i) => ({ Id, Description: `batch ${i}` })),
      { allOrNone: true },
    );
    expect(updated.every((r) => r.success)).toBe(true);

    const upserted = await account.upsert(
      [
        { X3_Customer_Code__c: 'C91000', Name: 'Upserted New' },
        { X3_Customer_Code__c: 'C91000', Name: 'Upserted Again' },
      ],
      'X3_Customer_Code__c',
      { allOrNone: false },
    );
    expect(upserted).toMatchObject([
      { success: true, created: true },
      { success: true, created: false },
    ]);

    const deleted = await account.destroy([...ids, '001000000000000AAA'], { allOrNone: false });
    expect(deleted.map((r) => r.success)).toEqual([true, true, false]);
    expect((await conn.query(`SELECT Id FROM Account WHERE Id IN ('${ids.join("','")}')`)).totalSize).toBe(0);
  });

  it('refuses more than 200 records in one collection call', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ Name: `Bulk ${i}` }));
    await expect(conn.sobject('Account').create(records)).rejects.toMatchObject({
      errorCode: 'EXCEEDED_ID_LIMIT',
    });
  });
});
