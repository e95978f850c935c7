import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PardotSandbox } from './pardot-sandbox.harness.js';

const sandbox = new PardotSandbox(15205);
const PROSPECTS = '/api/v5/objects/prospects';

interface Ledger {
  entries: {
    seq: number;
    method: string;
    path: string;
    route: string;
    status: number;
    requestBody: unknown;
    clientId?: string;
    fault?: Record<string, unknown>;
  }[];
}
const ledger = async (): Promise<Ledger> => (await sandbox.admin('GET', '/__admin/ledger')).json as Ledger;

beforeAll(async () => {
  await sandbox.start();
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  await sandbox.admin('POST', '/__admin/reset');
});

describe('fault injection on the Pardot sandbox', () => {
  it('switches a 503 on and off at run time; the failed and the accepted write are both in the ledger', async () => {
    await sandbox.admin('POST', '/__admin/faults', {
      id: 'outage',
      route: `POST ${PROSPECTS}*`,
      status: 503,
    });
    const failed = await sandbox.call('POST', PROSPECTS, { body: { email: 'during@acme.example' } });
    expect(failed).toMatchObject({
      status: 503,
      json: { code: 183, message: 'An internal error occurred, please try your request again' },
    });
    await sandbox.admin('DELETE', '/__admin/faults/outage');
    expect((await sandbox.call('POST', PROSPECTS, { body: { email: 'after@acme.example' } })).status).toBe(
      204,
    );

    const { entries } = await ledger();
    expect(entries.map((e) => [e.method, e.route, e.status, e.fault?.['ruleId']])).toEqual([
      ['POST', `POST ${PROSPECTS}`, 503, 'outage'],
      ['POST', `POST ${PROSPECTS}`, 204, undefined],
    ]);
    expect(entries[1]).toMatchObject({
      requestBody: { email: 'after@acme.example' },
      clientId: 'pardot-tests',
    });
    // the failed write changed nothing
    const found = await sandbox.call('POST', '/api/v5/objects/prospects/do/upsertLatestByEmail', {
      body: { matchEmail: 'during@acme.example', prospect: {}, fields: ['id'] },
    });
    expect(found.status).toBe(201);
  });

  it('exhausts the daily limit on demand: error 122 in the v5 and the v4 dialect', async () => {
    await sandbox.admin('POST', '/__admin/faults', { id: 'quota', route: '/api/*', limit: 'daily' });
    expect(await sandbox.call('GET', `${PROSPECTS}?fields=id`)).toMatchObject({
      status: 429,
      json: { code: 122 },
    });
    expect(
      (await sandbox.call('POST', '/api/prospect/version/4/do/read/id/100001', { form: { format: 'json' } }))
        .json,
    ).toEqual({
      '@attributes': { stat: 'fail', version: 1, err_code: 122 },
      err: 'Daily API rate limit met',
    });
    expect((await ledger()).entries.map((e) => e.fault?.['limit'])).toEqual(['daily', 'daily']);
  });

  it('drops connections at an error rate of 1 and serves again once the rule is gone', async () => {
    await sandbox.admin('POST', '/__admin/faults', {
      id: 'cut',
      route: `PATCH ${PROSPECTS}/*`,
      dropConnection: true,
      errorRate: 1,
    });
    await expect(sandbox.call('PATCH', `${PROSPECTS}/100001`, { body: { city: 'Lyon' } })).rejects.toThrow();
    expect((await ledger()).entries.at(-1)).toMatchObject({
      method: 'PATCH',
      status: 0,
      fault: { ruleId: 'cut', outcome: 'drop' },
    });
    await sandbox.admin('DELETE', '/__admin/faults');
    expect((await sandbox.call('PATCH', `${PROSPECTS}/100001`, { body: { city: 'Lyon' } })).status).toBe(204);
  });

  it('shows the business unit, its data and its API usage in the admin state', async () => {
    const state = (await sandbox.admin('GET', '/__admin/state')).json as {
      system: string;
      state: Record<string, unknown>;
    };
    expect(state).toMatchObject({
      system: 'pardot',
      state: {
        businessUnitId: '0Uv5g000000PX3AAAA',
        seed: 7,
        prospects: 60,
        customFields: ['ERP_Customer_Code__c', 'Last_Engagement_Score__c'],
      },
    });
  });

  it('reseeds from another seed: same people as the other sandboxes with that seed', async () => {
    const reply = await sandbox.admin('POST', '/__admin/seed', {
      seed: 99,
      counts: { companies: 2, contacts: 3, leads: 1, visitorActivities: 5 },
    });
    expect(reply.status).toBe(200);
    const state = (await sandbox.admin('GET', '/__admin/state')).json as { state: Record<string, unknown> };
    expect(state.state).toMatchObject({ seed: 99, prospects: 4, visitorActivities: 5 });
  });
});
