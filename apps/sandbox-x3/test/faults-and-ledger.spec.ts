import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { X3Sandbox, messages } from './x3-sandbox.harness.js';

const sandbox = new X3Sandbox(15306);

interface Ledger {
  entries: {
    method: string;
    path: string;
    route: string;
    status: number;
    clientId?: string;
    requestBody: unknown;
    fault?: Record<string, unknown>;
  }[];
}
const ledger = async (): Promise<Ledger> =>
  (await sandbox.admin('GET', '/__admin/ledger')).json as unknown as Ledger;

beforeAll(async () => {
  await sandbox.start();
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  await sandbox.admin('POST', '/__admin/reset');
});

describe('fault injection on the X3 sandbox', () => {
  it('switches a 500 on and off for order creation; both attempts are in the ledger with the Basic-auth user', async () => {
    await sandbox.admin('POST', '/__admin/faults', {
      id: 'x3-down',
      route: 'POST /api1/x3/erp/*/SORDER',
      status: 500,
    });
    const failed = await sandbox.api('POST', 'SORDER?representation=SOH.$create', { BPCORD: 'C00001' });
    expect(failed.status).toBe(500);
    expect(messages(failed)).toEqual(['Server error 500 (fault injected by the sandbox)']);
    await sandbox.admin('DELETE', '/__admin/faults/x3-down');
    const answered = await sandbox.api('POST', 'SORDER?representation=SOH.$create', { BPCORD: 'C00001' });
    expect(answered.status).toBe(200);
    const { entries } = await ledger();
    expect(entries.map((e) => [e.route, e.status, e.fault?.['ruleId'], e.clientId])).toEqual([
      ['POST /api1/x3/erp/SEED/SORDER', 500, 'x3-down', 'px3'],
      ['POST /api1/x3/erp/:folder/:resource', 200, undefined, 'px3'],
    ]);
    expect(entries[1]?.requestBody).toEqual({ BPCORD: 'C00001' });
  });

  it('renders exhausted limits as X3 would refuse work', async () => {
    await sandbox.admin('POST', '/__admin/faults', { route: 'GET /api1/*', limit: 'concurrency' });
    const reply = await sandbox.api('GET', 'BPCUSTOMER?representation=BPCUSTOMER.$query');
    expect(reply.status).toBe(500);
    expect(messages(reply)).toEqual(['No Web services accepted']);
  });

  it('shows each folder’s data in the admin state and reseeds on demand', async () => {
    const reseeded = await sandbox.admin('POST', '/__admin/seed', {
      seed: 3,
      counts: { companies: 4, products: 5, sites: 1 },
    });
    expect(reseeded.status).toBe(200);
    const state = (await sandbox.admin('GET', '/__admin/state')).json as {
      system: string;
      state: { folders: Record<string, Record<string, unknown>> };
    };
    expect(state.system).toBe('x3');
    expect(state.state.folders['SEED']).toMatchObject({
      sites: ['FR011'],
      BPCUSTOMER: 4,
      ITMMASTER: 5,
      ITMMVT: 5,
      SORDER: 0,
    });
  });
});
