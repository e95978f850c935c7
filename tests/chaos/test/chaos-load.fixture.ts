import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosSystems } from './chaos-systems.fixture.js';

/**
 * The load of one phase: what people do in the source systems, spread over the phase's duration —
 * X3 customers created and changed several times each, Salesforce Contacts created and renamed, Closed
 * Won opportunities with line items, X3 orders whose deliveries the warehouse validates, and stock
 * movements. Every entity is new to the phase (its names carry the phase tag), so each phase's checks
 * look at its own entities only. Every loop has a count and a time limit.
 */

export interface LoadPlan {
  readonly x3Customers: number;
  readonly x3UpdatesPerCustomer: number;
  readonly contacts: number;
  readonly contactUpdatesPerContact: number;
  readonly opportunities: number;
  readonly deliveries: number;
  readonly stockMovements: number;
  readonly durationMs: number;
  /**
   * Shares of the phase at which the stock movements come as bursts instead of evenly (e.g. just
   * before the broker is killed, so that handlers are busy when it goes).
   */
  readonly stockBurstsAt?: readonly number[];
}

export interface LoadResult {
  changes: number;
  readonly x3Customers: { code: string; email: string }[];
  readonly contacts: { id: string; email: string }[];
  readonly accounts: { id: string; name: string }[];
  readonly opportunities: string[];
  /** X3 orders entered by people, with their validated delivery. */
  readonly shippedOrders: { order: string; delivery: string; email: string }[];
  readonly errors: string[];
}

const GROUPS = ['STD', 'KEY', 'SME', 'GOV'];
const CITIES = ['Lyon', 'Lille', 'Nantes', 'Rennes', 'Dijon', 'Nice', 'Brest', 'Metz'];
const FIRST_NAMES = ['Ada', 'Alan', 'Grace', 'Linus', 'Barbara', 'Ken', 'Frances', 'Edsger'];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

export interface LoadContext {
  readonly systems: ChaosSystems;
  /** Short tag of the phase, in every name and email the phase creates. */
  readonly tag: string;
  readonly seed: number;
  /** Products in stock at FR011 and cheap enough for a new customer's credit: [X3 code, Salesforce Product2 id]. */
  readonly products: readonly (readonly [string, string])[];
  /** Does Pardot have a prospect with this email yet? (the delivery stream waits for it) */
  readonly hasProspect: (email: string) => Promise<boolean>;
  readonly stopAt: number;
}

export async function runLoad(plan: LoadPlan, ctx: LoadContext): Promise<LoadResult> {
  const result: LoadResult = {
    changes: 0,
    x3Customers: [],
    contacts: [],
    accounts: [],
    opportunities: [],
    shippedOrders: [],
    errors: [],
  };
  const next = random(ctx.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const deadline = Math.min(ctx.stopAt, Date.now() + plan.durationMs);
  // A stream spreads its operations over the phase; it stops early at the deadline.
  const paced = async (count: number, op: (i: number) => Promise<void>, share = 1): Promise<void> => {
    const gap = (plan.durationMs * share) / Math.max(1, count);
    for (let i = 0; i < count && Date.now() < deadline; i += 1) {
      const started = Date.now();
      try {
        await op(i);
      } catch (error) {
        if (result.errors.length < 50) result.errors.push((error as Error).message);
      }
      const rest = gap - (Date.now() - started);
      if (rest > 0) await sleep(Math.min(rest, Math.max(0, deadline - Date.now())));
    }
  };

  const x3Stream = async (): Promise<void> => {
    // The first third of the phase creates the customers, the rest changes them.
    await paced(
      plan.x3Customers,
      async (i) => {
        const email = `buyer.${i}@${ctx.tag}.chaos.example`;
        const created = await ctx.systems.x3<{ BPCNUM: string }>(
          'POST',
          'BPCUSTOMER?representation=BPCUSTOMER.$create',
          {
            BPCNAM: `Chaos ${ctx.tag} Customer ${i}`,
            WEB: email,
            CRY: 'FR',
            CUR: 'EUR',
            CTY: 'Lyon',
            OSTCTL: 1,
          },
        );
        result.x3Customers.push({ code: created.BPCNUM, email });
        result.changes += 1;
      },
      0.3,
    );
    const updates = result.x3Customers.length * plan.x3UpdatesPerCustomer;
    await paced(
      updates,
      async () => {
        const customer = pick(result.x3Customers);
        const change = next() < 0.5 ? { BCGCOD: pick(GROUPS) } : { CTY: pick(CITIES) };
        await ctx.systems.x3('PUT', `BPCUSTOMER('${customer.code}')?representation=BPCUSTOMER.$edit`, change);
        result.changes += 1;
      },
      0.7,
    );
  };

  const contactStream = async (): Promise<void> => {
    await paced(
      plan.contacts,
      async (i) => {
        const email = `contact.${i}@${ctx.tag}.chaos-sf.example`;
        const created = await ctx.systems.salesforce<{ id: string }>('POST', 'sobjects/Contact', {
          FirstName: pick(FIRST_NAMES),
          LastName: `Chaos ${ctx.tag} ${i}`,
          Email: email,
        });
        result.contacts.push({ id: created.id, email });
        result.changes += 1;
      },
      0.3,
    );
    await paced(
      result.contacts.length * plan.contactUpdatesPerContact,
      async (i) => {
        const contact = pick(result.contacts);
        await ctx.systems.salesforce('PATCH', `sobjects/Contact/${contact.id}`, {
          FirstName: `${pick(FIRST_NAMES)}${i}`,
        });
        result.changes += 1;
      },
      0.7,
    );
  };

  const opportunityStream = async (): Promise<void> => {
    if (plan.opportunities === 0 || ctx.products.length === 0) return;
    const accounts = Math.max(1, Math.ceil(plan.opportunities / 3));
    for (let i = 0; i < accounts && Date.now() < deadline; i += 1) {
      const name = `Chaos ${ctx.tag} Account ${i}`;
      try {
        const created = await ctx.systems.salesforce<{ id: string }>('POST', 'sobjects/Account', {
          Name: name,
          BillingCity: 'Lyon',
          BillingPostalCode: '69002',
          BillingCountry: 'France',
        });
        result.accounts.push({ id: created.id, name });
      } catch (error) {
        result.errors.push((error as Error).message);
      }
    }
    if (result.accounts.length === 0) return;
    await paced(plan.opportunities, async (i) => {
      const account = result.accounts[i % result.accounts.length] ?? pick(result.accounts);
      const opportunity = await ctx.systems.salesforce<{ id: string }>('POST', 'sobjects/Opportunity', {
        Name: `Chaos ${ctx.tag} order ${i}`,
        StageName: 'Negotiation/Review',
        CloseDate: new Date().toISOString().slice(0, 10),
        AccountId: account.id,
      });
      const lines = i % 2 === 0 ? [pick(ctx.products)] : [pick(ctx.products), pick(ctx.products)];
      for (const [, productId] of new Map(lines.map((l) => [l[1], l])).values())
        await ctx.systems.salesforce('POST', 'sobjects/OpportunityLineItem', {
          OpportunityId: opportunity.id,
          Product2Id: productId,
          Quantity: 1,
          UnitPrice: 100,
        });
      await ctx.systems.salesforce('PATCH', `sobjects/Opportunity/${opportunity.id}`, {
        StageName: 'Closed Won',
      });
      result.opportunities.push(opportunity.id);
      result.changes += 1;
    });
  };

  const deliveryStream = async (): Promise<void> => {
    if (plan.deliveries === 0 || ctx.products.length === 0) return;
    // Orders go to customers the pipeline already knows (their prospect exists in Pardot), as they
    // would in life: an order for a customer created a second ago has no recipient yet.
    await sleep(Math.min(plan.durationMs * 0.3, Math.max(0, deadline - Date.now())));
    await paced(
      plan.deliveries,
      async () => {
        let customer: { code: string; email: string } | undefined;
        for (let tries = 0; tries < 20 && !customer && Date.now() < deadline; tries += 1) {
          const candidate = result.x3Customers.length > 0 ? pick(result.x3Customers) : undefined;
          if (candidate && (await ctx.hasProspect(candidate.email))) customer = candidate;
          else await sleep(500);
        }
        if (!customer) return;
        const [item] = pick(ctx.products);
        const order = await ctx.systems.x3<{ SOHNUM: string }>('POST', 'SORDER?representation=SOH.$create', {
          BPCORD: customer.code,
          SORDERQ: [{ ITMREF: item, QTY: 1 }],
        });
        result.changes += 1;
        const delivery = await ctx.systems.x3<{ SDHNUM: string }>(
          'POST',
          'SDELIVERY?representation=SDH.$create',
          {
            SOHNUM: order.SOHNUM,
          },
        );
        await ctx.systems.x3Admin('POST', `/x3/deliveries/${delivery.SDHNUM}/validate`);
        result.shippedOrders.push({ order: order.SOHNUM, delivery: delivery.SDHNUM, email: customer.email });
        result.changes += 1;
      },
      0.7,
    );
  };

  const stockStream = async (): Promise<void> => {
    if (plan.stockMovements === 0) return;
    const bursts = plan.stockBurstsAt ?? [];
    if (bursts.length > 0) {
      const started = Date.now();
      const size = Math.ceil(plan.stockMovements / bursts.length);
      for (const [i, share] of bursts.entries()) {
        await sleep(Math.max(0, Math.min(started + plan.durationMs * share, deadline) - Date.now()));
        if (Date.now() >= deadline) return;
        try {
          const applied = await ctx.systems.x3Admin<{ applied: number }>('POST', '/x3/stock-movements', {
            generate: size,
            seed: ctx.seed * 100 + i,
          });
          result.changes += applied.applied;
        } catch (error) {
          result.errors.push((error as Error).message);
        }
      }
      return;
    }
    const chunks = Math.max(1, Math.min(20, Math.ceil(plan.stockMovements / 250)));
    const size = Math.ceil(plan.stockMovements / chunks);
    await paced(chunks, async (i) => {
      const applied = await ctx.systems.x3Admin<{ applied: number }>('POST', '/x3/stock-movements', {
        generate: size,
        seed: ctx.seed * 100 + i,
      });
      result.changes += applied.applied;
    });
  };

  await Promise.all([x3Stream(), contactStream(), opportunityStream(), deliveryStream(), stockStream()]);
  return result;
}
