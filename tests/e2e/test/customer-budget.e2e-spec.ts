import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@pardot-x3/testing';
import { CustomerFlowWorld } from './customer-flow.fixture.js';

/**
 * The Pardot daily budget, every service its own process: when Account Engagement says the day's
 * calls are spent (error 122), the customer writes wait in their queue — nothing is dropped — and
 * resume when the budget is back.
 */

const BASE = 20050;
const CUSTOMERS = 50;
let world: CustomerFlowWorld;

describe('when the Pardot daily budget runs out, customer writes wait and resume; nothing is dropped', () => {
  beforeAll(async () => {
    world = await CustomerFlowWorld.start({
      label: 'customer-budget',
      basePort: BASE,
      seedCounts: {
        companies: 2,
        contacts: 2,
        leads: 0,
        products: 2,
        sites: 1,
        opportunities: 0,
        visitorActivities: 0,
      },
      serviceEnv: {
        'pardot-writer': { PARDOT_LIMIT_PROBE_INTERVAL_MS: '1000', CUSTOMER_WRITE_COALESCING_MS: '500' },
        'salesforce-ingest': { PARDOT_LIMIT_PROBE_INTERVAL_MS: '1000' },
      },
    });
  }, 240_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('queues the writes while the budget is spent and writes every prospect once it is back', async () => {
    const limits = await world.pardot.admin<{ dailyLimit: number }>('GET', '/pardot/limits');
    await world.pardot.admin('POST', '/pardot/limits', { used: limits.dailyLimit });
    const spentAt = (await world.pardot.ledger()).length;

    const codes: string[] = [];
    for (let i = 0; i < CUSTOMERS; i += 1) {
      const created = await world.x3Api<{ BPCNUM: string }>(
        'POST',
        'BPCUSTOMER?representation=BPCUSTOMER.$create',
        {
          BPCNAM: `Budget Customer ${i}`,
          WEB: `buyer.${i}@budget.example`,
          CRY: 'FR',
          CUR: 'EUR',
          OSTCTL: 1,
        },
      );
      codes.push(created.BPCNUM);
    }
    // Every customer reaches the write queue, where its write waits for the budget.
    await waitFor(
      async () => {
        const [row] = await world.query<{ n: string }>(
          `SELECT count(*) AS n FROM pardot_writer_pending_customer_write WHERE target = 'pardot-prospect' AND state = 'pending'`,
        );
        return Number(row?.n) === CUSTOMERS;
      },
      { timeoutMs: 60_000, description: 'the prospect writes queued' },
    );
    await waitFor(
      async () =>
        (await world.metric('pardot-writer', 'px3_external_api_limit_hits_total', {
          system: 'pardot',
          kind: 'daily',
        })) > 0,
      { timeoutMs: 30_000, description: 'pardot-writer meeting the daily limit' },
    );
    await sleep(3_000);
    const whileSpent = (await world.pardot.ledger('* /api/v5/objects/prospects*')).filter(
      (e) => e.seq > spentAt && e.status < 300,
    );
    expect(whileSpent).toEqual([]);
    expect(
      await world.metric('pardot-writer', 'px3_external_api_budget_remaining', { system: 'pardot' }),
    ).toBe(0);

    await world.pardot.admin('POST', '/pardot/limits', { used: 0 });
    const prospects = await waitFor(
      async () => {
        const all = await world.pardotProspects(['id', 'email', 'ERP_Customer_Code__c']);
        const ours = all.filter((p) => String(p['email']).endsWith('@budget.example'));
        return ours.length === CUSTOMERS ? ours : undefined;
      },
      { timeoutMs: 90_000, description: 'every prospect written once the budget is back' },
    );
    expect(prospects.map((p) => p['ERP_Customer_Code__c']).sort()).toEqual([...codes].sort());
    await waitFor(
      async () => {
        const [row] = await world.query<{ n: string }>(
          `SELECT count(*) AS n FROM pardot_writer_pending_customer_write`,
        );
        return Number(row?.n) === 0;
      },
      { timeoutMs: 30_000, description: 'the write queue empty' },
    );
  });
});
