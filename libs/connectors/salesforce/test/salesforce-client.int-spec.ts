import { generateKeyPairSync } from 'node:crypto';
import type { ServiceProcess } from '@pardot-x3/testing';
import { waitFor } from '@pardot-x3/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SalesforceApiError,
  SalesforceAuth,
  SalesforceAuthError,
  SalesforceClient,
  SalesforceRequestLimitError,
  soqlId,
} from '../src/index.js';
import {
  CONSUMER_KEY,
  SANDBOX_URL,
  admin,
  metricValue,
  sandboxClient,
  startSalesforceSandbox,
} from './salesforce-sandbox.js';

interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
}

async function requests(): Promise<RequestLogEntry[]> {
  return (await admin<{ requests: RequestLogEntry[] }>('GET', '/requests')).requests;
}

describe('SalesforceClient against the Salesforce sandbox', () => {
  let sandbox: ServiceProcess;

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox();
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('signs in with client credentials, creates, reads and updates a record, naming our client on every write', async () => {
    const { client } = sandboxClient('pardot-x3-it');
    const id = await client.create('Account', { Name: 'Acme Bikes', BillingCity: 'Lyon' });
    await client.update('Account', id, { BillingCity: 'Paris' });
    const account = await client.retrieve('Account', id, ['Name', 'BillingCity']);
    expect(account).toMatchObject({ Id: id, Name: 'Acme Bikes', BillingCity: 'Paris' });
    const ledger = await admin<{ entries: { path: string; clientId?: string }[] }>('GET', '/ledger');
    const writes = ledger.entries.filter((e) => e.path.includes(id) || e.path.endsWith('/sobjects/Account/'));
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.every((e) => e.clientId === 'pardot-x3-it')).toBe(true);
  });

  it('signs in with the JWT bearer flow (RS256 assertion) once the connected app has our certificate', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await admin('PUT', '/salesforce/connected-app', {
      certificate: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    const auth = new SalesforceAuth({
      loginUrl: SANDBOX_URL,
      audience: 'https://test.salesforce.com',
      credentials: {
        flow: 'jwt-bearer',
        clientId: CONSUMER_KEY,
        username: 'integration@pardot-x3.sandbox',
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
      registry: new Registry(),
    });
    const client = new SalesforceClient({
      auth,
      apiVersion: '62.0',
      callClientId: 'pardot-x3-it',
      registry: new Registry(),
    });
    const [first] = await client.queryAll('SELECT Id, Name FROM Account ORDER BY Name ASC LIMIT 1');
    expect(first?.Id).toMatch(/^001/);

    const wrongKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const refused = new SalesforceAuth({
      loginUrl: SANDBOX_URL,
      credentials: {
        flow: 'jwt-bearer',
        clientId: CONSUMER_KEY,
        username: 'integration@pardot-x3.sandbox',
        privateKeyPem: wrongKey,
      },
      registry: new Registry(),
    });
    const error = await refused.session().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceAuthError);
    expect((error as Error).message).toMatch(/Salesforce refused to sign in integration@pardot-x3.sandbox/);
    expect((error as Error).message).not.toContain('PRIVATE KEY');
  });

  it('upserts by external id: creates once, then updates the same record (200 or 204 answers)', async () => {
    const { client } = sandboxClient();
    const code = `IT${Date.now() % 1_000_000_000}`;
    const created = await client.upsertByExternalId('Account', 'X3_Customer_Code__c', code, {
      Name: 'Upsert Ltd',
    });
    expect(created.created).toBe(true);
    const updated = await client.upsertByExternalId('Account', 'X3_Customer_Code__c', code, {
      Name: 'Upsert Ltd (renamed)',
    });
    expect(updated).toEqual({ id: created.id, created: false });
    await admin('PUT', '/salesforce/upsert-update-status', { status: 204 });
    try {
      expect(
        await client.upsertByExternalId('Account', 'X3_Customer_Code__c', code, { Name: 'Upsert Ltd (204)' }),
      ).toEqual({ id: undefined, created: false });
    } finally {
      await admin('PUT', '/salesforce/upsert-update-status', { status: 200 });
    }
    const [record] = await client.queryAll(
      `SELECT Id, Name FROM Account WHERE X3_Customer_Code__c = '${code}'`,
    );
    expect(record).toMatchObject({ Id: created.id, Name: 'Upsert Ltd (204)' });
  });

  it('writes 450 records through sObject Collections in calls of at most 200, with one result per record', async () => {
    const { client } = sandboxClient();
    const before = (await requests()).length;
    const created = await client.createMany(
      'Account',
      Array.from({ length: 450 }, (_, i) => ({ Name: `Bulk ${i}` })),
    );
    expect(created.filter((r) => r.success)).toHaveLength(450);
    const records = created.map((r, i) => ({ Id: r.id as string, Description: `updated ${i}` }));
    records[7] = { Id: records[7]!.Id, No_Such_Field__c: 'x' } as unknown as (typeof records)[number];
    const updated = await client.updateMany('Account', records);
    expect(updated).toHaveLength(450);
    expect(updated.filter((r) => !r.success).map((r) => r.index)).toEqual([7]);
    expect(updated[7]?.errors[0]?.errorCode).toBe('INVALID_FIELD');
    const upserted = await client.upsertMany(
      'Account',
      'X3_Customer_Code__c',
      Array.from({ length: 201 }, (_, i) => ({ X3_Customer_Code__c: `BULK-${i}`, Name: `Bulk upsert ${i}` })),
    );
    expect(upserted.every((r) => r.success && r.created)).toBe(true);
    const calls = (await requests())
      .slice(before)
      .filter(
        (r) => r.path.endsWith('/composite/sobjects') || r.path.includes('/composite/sobjects/Account/'),
      );
    // 450 creates = 3 calls, 450 updates = 3 calls, 201 upserts = 2 calls.
    expect(calls).toHaveLength(8);
    expect(calls.every((c) => c.status === 200)).toBe(true);
  });

  it('queries past 2,000 rows by following nextRecordsUrl', async () => {
    const { client } = sandboxClient();
    await client.createMany(
      'Account',
      Array.from({ length: 1_700 }, (_, i) => ({ Name: `Paging ${i}` })),
    );
    const total = (await client.queryAll('SELECT Id FROM Account')).length;
    expect(total).toBeGreaterThan(2_000);
    const ids = new Set<string>();
    for await (const record of client.query('SELECT Id FROM Account')) ids.add(record.Id);
    expect(ids.size).toBe(total);
    expect((await requests()).some((r) => /\/query\/01g/.test(r.path))).toBe(true);
  });

  it('reads a change window by SystemModstamp, oldest first, and records by id', async () => {
    const { client } = sandboxClient();
    const since = new Date(Date.now() - 1_000);
    const id = await client.create('Account', { Name: 'Window Co' });
    const changed = [];
    for await (const record of client.changedSince({ sobject: 'Account', fields: ['Name'], since }))
      changed.push(record);
    expect(changed.map((r) => r.Id)).toContain(id);
    const stamps = changed.map((r) => String(r['SystemModstamp']));
    expect([...stamps].sort()).toEqual(stamps);
    const nothing = [];
    for await (const record of client.changedSince({
      sobject: 'Account',
      fields: ['Name'],
      since: new Date(0),
      until: new Date(Date.UTC(2000, 0, 1)),
    }))
      nothing.push(record);
    expect(nothing).toEqual([]);
    const [byId] = await client.retrieveByIds('Account', [id, id], ['Name']);
    expect(byId).toMatchObject({ Id: id, Name: 'Window Co' });
  });

  it('reads parent paths and a child subquery in one call (subqueryRecords), and updates the record', async () => {
    const { client } = sandboxClient();
    const [won] = await client.queryAll("SELECT Id FROM Opportunity WHERE StageName = 'Closed Won' LIMIT 1");
    expect(won).toBeDefined();
    const before = (await requests()).length;
    const [row] = await client.queryAll(
      `SELECT Id, AccountId, Account.Id, Account.Name, ` +
        `(SELECT Id, Quantity, Product2.ProductCode FROM OpportunityLineItems ORDER BY Id ASC) ` +
        `FROM Opportunity WHERE Id = ${soqlId(won!.Id)}`,
    );
    const lines = await client.subqueryRecords(row?.['OpportunityLineItems']);
    expect((await requests()).length - before).toBe(1);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect((line['Product2'] as { ProductCode?: string }).ProductCode).toEqual(expect.any(String));
    expect((row?.['Account'] as { Id?: string } | undefined)?.Id).toBe(row?.['AccountId']);
    expect(await client.subqueryRecords(null)).toEqual([]);
    await client.update('Opportunity', won!.Id, {
      X3_Order_Number__c: 'SO-000123',
      X3_Order_Status__c: 'Created',
      X3_Order_Message__c: null,
    });
    expect(
      await client.retrieve('Opportunity', won!.Id, [
        'X3_Order_Number__c',
        'X3_Order_Status__c',
        'X3_Order_Message__c',
      ]),
    ).toMatchObject({
      X3_Order_Number__c: 'SO-000123',
      X3_Order_Status__c: 'Created',
      X3_Order_Message__c: null,
    });
  });

  it('renews an expired access token once and carries on (INVALID_SESSION_ID)', async () => {
    const { client, registry } = sandboxClient();
    await admin('PUT', '/salesforce/connected-app', { tokenTtlSeconds: 1 });
    try {
      await client.queryAll('SELECT Id FROM Account LIMIT 1');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await client.queryAll('SELECT Id FROM Account LIMIT 1');
    } finally {
      await admin('PUT', '/salesforce/connected-app', { tokenTtlSeconds: 7200 });
    }
    expect(
      await metricValue(registry, 'px3_external_api_requests_total', {
        operation: 'authenticate',
        status: '200',
      }),
    ).toBe(2);
    expect(
      await metricValue(registry, 'px3_external_api_requests_total', { operation: 'query', status: '401' }),
    ).toBe(1);
  });

  it('reports the daily API usage from Sforce-Limit-Info, and REQUEST_LIMIT_EXCEEDED as a limit error', async () => {
    const { client, registry } = sandboxClient();
    await admin('PUT', '/salesforce/limits', { dailyApiLimit: 5_000, used: 1_000 });
    await client.queryAll('SELECT Id FROM Account LIMIT 1');
    expect(client.apiUsage?.limit).toBe(5_000);
    const remaining = await metricValue(registry, 'px3_external_api_budget_remaining', {
      system: 'salesforce',
      scope: 'org',
    });
    expect(remaining).toBe(5_000 - (client.apiUsage?.used ?? 0));
    await admin('PUT', '/salesforce/limits', { used: 5_000 });
    try {
      const error = await client.queryAll('SELECT Id FROM Account LIMIT 1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SalesforceRequestLimitError);
      expect((error as SalesforceRequestLimitError).retryable).toBe(false);
      expect(
        await metricValue(registry, 'px3_external_api_limit_hits_total', {
          system: 'salesforce',
          kind: 'daily',
        }),
      ).toBe(1);
    } finally {
      await admin('PUT', '/salesforce/limits', { dailyApiLimit: 100_000, used: 0 });
    }
  });

  it('retries a transient failure (503) with back-off, and never retries a permanent one', async () => {
    // Nine back-offs of 0–200 ms (full jitter) outlast the test's removal of the fault, which it does
    // as soon as it sees the first 503: a shorter budget could run out first and fail the read.
    const { client } = sandboxClient(undefined, undefined, {
      maxAttempts: 10,
      baseDelayMs: 200,
      maxDelayMs: 200,
    });
    const { faults } = await admin<{ faults: { id: string }[] }>('POST', '/faults', {
      route: 'GET /services/data/*/query*',
      status: 503,
    });
    const started = (await requests()).length;
    const pending = client.queryAll('SELECT Id FROM Account LIMIT 1');
    await waitFor(async () => (await requests()).slice(started).some((r) => r.status === 503), {
      description: 'a 503 answer',
      intervalMs: 10,
    });
    await admin('DELETE', `/faults/${faults.at(-1)!.id}`);
    await expect(pending).resolves.toHaveLength(1);

    const before = (await requests()).length;
    const error = await client
      .retrieve('Account', '001000000000000AAA', ['No_Such_Field__c'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect((error as SalesforceApiError).kind).toBe('permanent-data');
    expect((error as Error).message).toMatch(
      /^Salesforce rejected read Account 001000000000000AAA: HTTP 4\d\d /,
    );
    expect((await requests()).length - before).toBe(1);
  });
});
