import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type jsforce from 'jsforce';
import { startTestSandbox, type TestSandbox } from './sandbox-salesforce.fixture.js';

interface LedgerEntry {
  readonly seq: number;
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly requestBody: unknown;
  readonly clientId?: string;
  readonly fault?: { readonly ruleId: string; readonly status?: number; readonly outcome?: string };
}

describe('fault injection and the write ledger on Salesforce routes', () => {
  let sandbox: TestSandbox;
  let conn: jsforce.Connection;

  const ledger = async (since = 0): Promise<LedgerEntry[]> =>
    ((await sandbox.admin('GET', `/ledger?since=${since}`)).body as { entries: LedgerEntry[] }).entries;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    conn = await sandbox.connection({ client: 'px3-writer' });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('switches a 503 on and off at run time; the failed and the good write are both in the ledger', async () => {
    const rule = await sandbox.admin('POST', '/faults', {
      id: 'sf-down',
      route: 'POST /services/data/*/sobjects/*',
      status: 503,
      errorRate: 1,
    });
    expect(rule.status).toBeLessThan(300);
    await expect(
      conn.sobject('Lead').create({ LastName: 'Faulty', Company: 'Nope Ltd' }),
    ).rejects.toMatchObject({ errorCode: 'SERVER_UNAVAILABLE' });
    expect((await conn.query("SELECT Id FROM Lead WHERE LastName = 'Faulty'")).totalSize).toBe(0);

    expect((await sandbox.admin('DELETE', '/faults/sf-down')).status).toBeLessThan(300);
    const saved = await conn.sobject('Lead').create({ LastName: 'Healthy', Company: 'Fine Ltd' });
    expect(saved.success).toBe(true);

    const writes = (await ledger()).filter((e) => e.method === 'POST' && e.route.includes('/sobjects/'));
    expect(writes.map((e) => [e.status, e.fault?.ruleId ?? null, e.clientId])).toEqual([
      [503, 'sf-down', 'px3-writer'],
      [201, null, 'px3-writer'],
    ]);
    expect(writes[1]?.requestBody).toEqual({ LastName: 'Healthy', Company: 'Fine Ltd' });
  });

  it('exhausts the daily limit through a fault rule in the Salesforce dialect', async () => {
    await sandbox.admin('POST', '/faults', {
      id: 'limit',
      route: 'GET /services/data/*/query',
      limit: 'daily',
    });
    await expect(conn.query('SELECT Id FROM Account')).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    });
    await sandbox.admin('DELETE', '/faults');
    expect((await conn.query('SELECT Id FROM Account LIMIT 1')).totalSize).toBe(1);
    const faulted = (await ledger()).filter((e) => e.fault?.ruleId === 'limit');
    expect(faulted).toMatchObject([{ method: 'GET', status: 403, fault: { outcome: 'limit' } }]);
  });

  it('records updates, deletes and collection writes with the caller, not reads or CometD polls', async () => {
    const start = (await ledger()).at(-1)?.seq ?? 0;
    const created = await conn.sobject('Account').create({ Name: 'Ledgered' });
    await conn.sobject('Account').update({ Id: created.id as string, Name: 'Ledgered Twice' });
    await conn.sobject('Account').retrieve(created.id as string);
    await conn.sobject('Account').create([{ Name: 'Batch A' }, { Name: 'Batch B' }]);
    await conn.sobject('Account').destroy(created.id as string);
    const entries = await ledger(start);
    expect(entries.map((e) => `${e.method} ${e.status}`)).toEqual([
      'POST 201',
      'PATCH 204',
      'POST 200',
      'DELETE 204',
    ]);
    expect(entries.every((e) => e.clientId === 'px3-writer')).toBe(true);
  });

  it('records a write whose body is not JSON, answered 400 JSON_PARSER_ERROR after the session check', async () => {
    const start = (await ledger()).at(-1)?.seq ?? 0;
    const post = (token?: string) =>
      fetch(`${sandbox.url}/services/data/v60.0/sobjects/Account`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: '{"Name":',
      });
    const anonymous = await post();
    expect(anonymous.status).toBe(401);
    const res = await post(await sandbox.token());
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject([
      { errorCode: 'JSON_PARSER_ERROR', message: expect.stringContaining('at [line:1, column:8]') },
    ]);
    const entries = await ledger(start);
    expect(entries.map((e) => [e.method, e.status])).toEqual([
      ['POST', 401],
      ['POST', 400],
    ]);
  });
});
