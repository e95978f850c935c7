import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@pardot-x3/testing';
import { CustomerFlowWorld } from './customer-flow.fixture.js';

/**
 * The headline use case at scale, every service its own process: 1,000 customers created in Sage X3,
 * then 2,000 updates to them (some customers with orders, so their turnover counts). Every matching
 * Pardot prospect ends with the mapped custom fields at the final X3 values, and the Pardot ledger shows
 * at most one write per prospect per coalescing window.
 */

const CUSTOMERS = 1_000;
const UPDATES = 2_000;
const WITH_ORDERS = 20;
const WINDOW_MS = 2_000;
const CONCURRENCY = 8;
const GROUPS = ['STD', 'KEY', 'SME', 'GOV'];
const CITIES = ['Lyon', 'Lille', 'Nantes', 'Rennes', 'Dijon', 'Nice'];
const CREDIT_LABEL: Record<number, string> = { 1: 'Good standing', 2: 'Under review', 3: 'On hold' };

let world: CustomerFlowWorld;
const timings: Record<string, number> = {};

/** A small deterministic generator (the run repeats). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

async function inParallel<T>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index] as T, index);
      }
    }),
  );
}

interface X3Customer {
  BPCNUM: string;
  WEB: string;
  BCGCOD: string;
  OSTCTL: number;
  CTY: string;
}

describe('customer enrichment at scale: 1,000 X3 customers and 2,000 updates reach their Pardot prospects', () => {
  beforeAll(async () => {
    world = await CustomerFlowWorld.start({
      label: 'customer-enrichment',
      basePort: 20010,
      seedCounts: {
        companies: 2,
        contacts: 2,
        leads: 0,
        products: 3,
        sites: 1,
        opportunities: 0,
        visitorActivities: 0,
      },
      serviceEnv: {
        'pardot-writer': { CUSTOMER_WRITE_COALESCING_MS: String(WINDOW_MS), LOG_LEVEL: 'warn' },
        'x3-ingest': { LOG_LEVEL: 'warn' },
        mdm: { LOG_LEVEL: 'warn' },
        transformer: { LOG_LEVEL: 'warn' },
      },
    });
  }, 240_000);

  afterAll(async () => {
    console.log(`[customer-enrichment] timings (s): ${JSON.stringify(timings)}`);
    await world?.stop();
  });

  it('ends every prospect with the final X3 values, written at most once per prospect per window', async () => {
    const started = Date.now();
    const codes: string[] = [];
    await inParallel(
      Array.from({ length: CUSTOMERS }, (_, i) => i),
      async (i) => {
        const created = await world.x3Api<{ BPCNUM: string }>(
          'POST',
          'BPCUSTOMER?representation=BPCUSTOMER.$create',
          {
            BPCNAM: `Enrichment Customer ${i}`,
            WEB: `buyer.${i}@enrichment-${i % 7}.example`,
            TEL: `+33 1 42 68 ${String(1000 + i).slice(-4, -2)} ${String(1000 + i).slice(-2)}`,
            ADDLIG1: `${i} rue du Test`,
            POSCOD: '69001',
            CTY: 'Lyon',
            CRY: 'FR',
            CUR: 'EUR',
            BCGCOD: 'STD',
            OSTCTL: 1,
          },
        );
        codes[i] = created.BPCNUM;
      },
    );
    timings['create 1000 customers'] = (Date.now() - started) / 1_000;

    // Orders for some customers: their turnover (Customer Lifetime Value) and last purchase date count.
    const products = await world.x3Api<{ $resources: { ITMREF: string }[] }>(
      'GET',
      'ITMMASTER?representation=ITMMASTER.$query&count=3',
    );
    const item = products.$resources[0]?.ITMREF ?? '';
    for (const code of codes.slice(0, WITH_ORDERS))
      await world.x3Api('POST', 'SORDER?representation=SOH.$create', {
        BPCORD: code,
        ORDDAT: '2026-11-20',
        SORDERQ: [{ ITMREF: item, QTY: 1 }],
      });

    const next = random(42);
    const updates = Array.from({ length: UPDATES }, () => {
      const code = codes[Math.floor(next() * CUSTOMERS)] ?? '';
      const choice = next();
      const change: Record<string, unknown> =
        choice < 0.4
          ? { BCGCOD: GROUPS[Math.floor(next() * GROUPS.length)] }
          : choice < 0.7
            ? { OSTCTL: 1 + Math.floor(next() * 3) }
            : { CTY: CITIES[Math.floor(next() * CITIES.length)] };
      return { code, change };
    });
    const updatesStarted = Date.now();
    await inParallel(updates, async ({ code, change }) => {
      await world.x3Api('PUT', `BPCUSTOMER('${code}')?representation=BPCUSTOMER.$edit`, change);
    });
    timings['2000 updates sent'] = (Date.now() - updatesStarted) / 1_000;

    const finals = new Map<string, X3Customer>();
    await inParallel(codes, async (code) => {
      finals.set(
        code,
        await world.x3Api<X3Customer>('GET', `BPCUSTOMER('${code}')?representation=BPCUSTOMER.$details`),
      );
    });
    const byEmail = new Map([...finals.values()].map((c) => [c.WEB.toLowerCase(), c]));
    const fields = [
      'id',
      'email',
      'city',
      'ERP_Customer_Code__c',
      'Customer_Group__c',
      'Credit_Status__c',
      'Customer_Lifetime_Value__c',
      'Last_Purchase_Date__c',
    ];
    const mismatches = (prospects: readonly Record<string, unknown>[]): string[] => {
      const seen = new Map(prospects.map((p) => [String(p['email']).toLowerCase(), p]));
      const wrong: string[] = [];
      for (const [email, customer] of byEmail) {
        const p = seen.get(email);
        if (
          !p ||
          p['ERP_Customer_Code__c'] !== customer.BPCNUM ||
          p['Customer_Group__c'] !== customer.BCGCOD ||
          p['Credit_Status__c'] !== CREDIT_LABEL[customer.OSTCTL] ||
          p['city'] !== customer.CTY
        )
          wrong.push(customer.BPCNUM);
      }
      return wrong;
    };
    let lastWrong: string[] = [];
    const prospects = await waitFor(
      async () => {
        const all = await world.pardotProspects(fields);
        lastWrong = mismatches(all);
        return lastWrong.length === 0 ? all : undefined;
      },
      { timeoutMs: 420_000, intervalMs: 3_000, description: 'every prospect at its final X3 values' },
    ).catch((error: unknown) => {
      throw new Error(
        `${(error as Error).message}; ${lastWrong.length} customer(s) differ, e.g. ${lastWrong.slice(0, 5).join(', ')}`,
      );
    });
    timings['until every prospect is final'] = (Date.now() - updatesStarted) / 1_000;

    const ours = prospects.filter((p) => byEmail.has(String(p['email']).toLowerCase()));
    expect(ours).toHaveLength(CUSTOMERS);
    // One prospect per customer: no duplicates were created.
    expect(new Set(ours.map((p) => String(p['email']).toLowerCase())).size).toBe(CUSTOMERS);
    const withOrders = ours.filter((p) =>
      codes.slice(0, WITH_ORDERS).includes(String(p['ERP_Customer_Code__c'])),
    );
    expect(withOrders).toHaveLength(WITH_ORDERS);
    for (const prospect of withOrders) {
      expect(Number(prospect['Customer_Lifetime_Value__c'])).toBeGreaterThan(0);
      expect(prospect['Last_Purchase_Date__c']).toMatch(/^2026-11-20/);
    }

    // At most one write per prospect per coalescing window.
    const emailById = new Map(ours.map((p) => [String(p['id']), String(p['email']).toLowerCase()]));
    const ledger = await world.pardot.ledger('* /api/v5/objects/prospects*');
    const writes = new Map<string, number[]>();
    for (const entry of ledger) {
      const body = entry.requestBody as { matchEmail?: string } | undefined;
      const email =
        entry.route.includes('upsertLatestByEmail') && body?.matchEmail
          ? body.matchEmail.toLowerCase()
          : emailById.get(entry.path.split('/').pop() ?? '');
      if (!email || !byEmail.has(email)) continue;
      writes.set(email, [...(writes.get(email) ?? []), Date.parse(entry.at)]);
    }
    let closest = Infinity;
    for (const times of writes.values()) {
      times.sort((a, b) => a - b);
      for (let i = 1; i < times.length; i += 1)
        closest = Math.min(closest, (times[i] ?? 0) - (times[i - 1] ?? 0));
    }
    const total = [...writes.values()].reduce((sum, times) => sum + times.length, 0);
    console.log(
      `[customer-enrichment] ${total} Pardot writes for ${CUSTOMERS} prospects and ${CUSTOMERS + UPDATES} X3 changes; closest two writes of one prospect: ${closest} ms`,
    );
    expect(closest).toBeGreaterThanOrEqual(WINDOW_MS - 20);
    expect(total).toBeLessThan(CUSTOMERS + UPDATES);
  }, 900_000);
});
