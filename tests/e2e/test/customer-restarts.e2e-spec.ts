import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@pardot-x3/testing';
import { CustomerFlowWorld } from './customer-flow.fixture.js';

/**
 * Crashes of the ingest services lose no change, every service its own process: while X3 customers
 * and Salesforce Leads are created and changed, x3-ingest and salesforce-ingest are killed (SIGKILL:
 * no graceful stop) and restarted. Afterwards every customer and Lead has its final values in its
 * golden record, and every X3 customer's prospect its final values in Pardot. X3 notifications sent
 * while x3-ingest was down are retried by X3 or read by the poller after its stored watermark;
 * Salesforce CDC resumes after the stored replay id.
 */

const BASE = 20040;
const X3_CUSTOMERS = 120;
const X3_UPDATES = 360;
const LEADS = 60;
const LEAD_UPDATES = 120;
const GROUPS = ['STD', 'KEY', 'SME', 'GOV'];
const CITIES = ['Lyon', 'Lille', 'Nantes', 'Rennes', 'Dijon', 'Nice'];
let world: CustomerFlowWorld;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

interface GoldenView {
  goldenId: string;
  fields: Record<string, unknown>;
}

async function goldenBySource(system: string, entity: string, id: string): Promise<GoldenView | undefined> {
  const response = await fetch(`${world.url('mdm')}/golden-customers/by-source/${system}/${entity}/${id}`, {
    headers: world.auth(),
  });
  return response.status === 200 ? ((await response.json()) as GoldenView) : undefined;
}

describe('killing and restarting x3-ingest and salesforce-ingest during a run loses no change', () => {
  beforeAll(async () => {
    world = await CustomerFlowWorld.start({
      label: 'customer-restarts',
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
        'x3-ingest': { X3_POLL_INTERVAL_MS: '2000' },
        'salesforce-ingest': { PARDOT_POLL_INTERVAL_MS: '2000' },
      },
    });
  }, 240_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('ends every X3 customer and Salesforce Lead with its final values', async () => {
    const next = random(7);
    const codes: string[] = [];
    const leads: string[] = [];

    const x3Stream = (async () => {
      for (let i = 0; i < X3_CUSTOMERS; i += 1) {
        const created = await world.x3Api<{ BPCNUM: string }>(
          'POST',
          'BPCUSTOMER?representation=BPCUSTOMER.$create',
          {
            BPCNAM: `Restart Customer ${i}`,
            WEB: `buyer.${i}@restarts.example`,
            CRY: 'FR',
            CUR: 'EUR',
            CTY: 'Lyon',
            OSTCTL: 1,
          },
        );
        codes.push(created.BPCNUM);
        await sleep(40);
      }
      for (let i = 0; i < X3_UPDATES; i += 1) {
        const code = codes[Math.floor(next() * codes.length)] ?? '';
        const change =
          next() < 0.5
            ? { BCGCOD: GROUPS[Math.floor(next() * GROUPS.length)] }
            : { CTY: CITIES[Math.floor(next() * CITIES.length)] };
        await world.x3Api('PUT', `BPCUSTOMER('${code}')?representation=BPCUSTOMER.$edit`, change);
        await sleep(25);
      }
    })();
    const salesforceStream = (async () => {
      for (let i = 0; i < LEADS; i += 1) {
        const lead = await world.salesforceApi<{ id: string }>('POST', 'sobjects/Lead', {
          FirstName: 'Lead',
          LastName: `Restart ${i}`,
          Company: `Restart Prospects ${i}`,
          Email: `lead.${i}@restarts-sf.example`,
          Phone: '+33 6 12 34 00 00',
        });
        leads.push(lead.id);
        await sleep(80);
      }
      for (let i = 0; i < LEAD_UPDATES; i += 1) {
        const id = leads[Math.floor(next() * leads.length)] ?? '';
        const phone = `+33 6 12 34 ${String(10 + Math.floor(next() * 89))} ${String(10 + Math.floor(next() * 89))}`;
        await world.salesforceApi('PATCH', `sobjects/Lead/${id}`, {
          Phone: phone,
          City: CITIES[Math.floor(next() * CITIES.length)],
        });
        await sleep(60);
      }
    })();

    // The process ids each ingest service ran as: the first, and one per restart.
    const pids = { 'x3-ingest': new Set<number>(), 'salesforce-ingest': new Set<number>() };
    const seen = (name: keyof typeof pids) => {
      const pid = world.service(name).pid;
      if (pid !== undefined) pids[name].add(pid);
    };
    seen('x3-ingest');
    seen('salesforce-ingest');
    const crashes = (async () => {
      await sleep(4_000);
      await world.service('x3-ingest').kill();
      await sleep(8_000);
      await world.service('x3-ingest').start();
      seen('x3-ingest');
      await world.service('salesforce-ingest').kill();
      await sleep(6_000);
      await world.service('salesforce-ingest').start();
      seen('salesforce-ingest');
      await sleep(3_000);
      await world.service('x3-ingest').kill();
      await world.service('salesforce-ingest').kill();
      await sleep(2_000);
      await Promise.all([world.service('x3-ingest').start(), world.service('salesforce-ingest').start()]);
      seen('x3-ingest');
      seen('salesforce-ingest');
    })();
    await Promise.all([x3Stream, salesforceStream, crashes]);

    // The final values, read from the sources.
    const customers = await Promise.all(
      codes.map((code) =>
        world.x3Api<{ BPCNUM: string; BCGCOD: string; CTY: string; WEB: string }>(
          'GET',
          `BPCUSTOMER('${code}')?representation=BPCUSTOMER.$details`,
        ),
      ),
    );
    const finalLeads = await Promise.all(
      leads.map(async (id) => ({
        id,
        ...(await world.salesforceApi<{ Phone: string; City: string }>(
          'GET',
          `sobjects/Lead/${id}?fields=Phone,City`,
        )),
      })),
    );

    let behind: string[] = [];
    await waitFor(
      async () => {
        behind = [];
        for (const customer of customers) {
          const golden = await goldenBySource('X3', 'BPCUSTOMER', customer.BPCNUM);
          const address = golden?.fields['address'] as { city?: string } | undefined;
          if (golden?.fields['customerGroup'] !== customer.BCGCOD || address?.city !== customer.CTY)
            behind.push(customer.BPCNUM);
        }
        for (const lead of finalLeads) {
          const golden = await goldenBySource('SALESFORCE', 'Lead', lead.id);
          const address = golden?.fields['address'] as { city?: string } | undefined;
          const phone = String(golden?.fields['phone'] ?? '');
          // A Lead never given a city has none in its golden record either.
          if (phone !== lead.Phone.replace(/\s/g, '') || (address?.city ?? null) !== (lead.City ?? null))
            behind.push(lead.id);
        }
        return behind.length === 0;
      },
      { timeoutMs: 180_000, intervalMs: 2_000, description: 'every golden record at its final values' },
    ).catch((error: unknown) => {
      throw new Error(
        `${(error as Error).message}: ${behind.length} record(s) behind, e.g. ${behind.slice(0, 5).join(', ')}`,
      );
    });

    const prospects = await waitFor(
      async () => {
        const all = await world.pardotProspects([
          'email',
          'city',
          'Customer_Group__c',
          'ERP_Customer_Code__c',
        ]);
        const byEmail = new Map(all.map((p) => [String(p['email']).toLowerCase(), p]));
        const ok = customers.every((c) => {
          const p = byEmail.get(c.WEB.toLowerCase());
          return (
            p?.['city'] === c.CTY &&
            p['Customer_Group__c'] === c.BCGCOD &&
            p['ERP_Customer_Code__c'] === c.BPCNUM
          );
        });
        return ok ? all : undefined;
      },
      {
        timeoutMs: 120_000,
        intervalMs: 2_000,
        description: 'every X3 customer’s prospect at its final values',
      },
    );
    // Every change arrived once: one golden record per X3 customer and per Lead (none shared, none
    // split), and exactly one prospect per X3 customer's email — no duplicate from a redelivery.
    const goldenIds = await Promise.all([
      ...customers.map(async (c) => (await goldenBySource('X3', 'BPCUSTOMER', c.BPCNUM))?.goldenId),
      ...finalLeads.map(async (l) => (await goldenBySource('SALESFORCE', 'Lead', l.id))?.goldenId),
    ]);
    expect(goldenIds.filter((id) => id === undefined)).toEqual([]);
    expect(new Set(goldenIds).size).toBe(X3_CUSTOMERS + LEADS);
    const restartProspects = prospects
      .map((p) => String(p['email']).toLowerCase())
      .filter((email) => email.endsWith('@restarts.example'));
    expect(restartProspects).toHaveLength(X3_CUSTOMERS);
    expect(new Set(restartProspects).size).toBe(X3_CUSTOMERS);
    // The crashes were real: each ingest service ran as three processes (started, restarted twice),
    // and runs again at the end.
    expect(pids['x3-ingest'].size).toBe(3);
    expect(pids['salesforce-ingest'].size).toBe(3);
    expect(world.service('x3-ingest').running).toBe(true);
    expect(world.service('salesforce-ingest').running).toBe(true);
  }, 600_000);
});
