import { TOPICS } from '@pardot-x3/canonical';
import { outgoingEvent } from '@pardot-x3/messaging';
import type { SalesforceClient } from '@pardot-x3/salesforce-connector';
import { waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerFlowWorld } from './customer-flow.fixture.js';
import { salesRep, x3Query, x3Stock } from './orders-world.fixture.js';

const BASE_PORT = 21000;
const CONFIRMATION_TOKEN = 'orders-e2e-confirmation-token';
const RUN = Math.random().toString(36).slice(2, 7).toUpperCase();

type OpportunityRow = {
  readonly Id: string;
  readonly X3_Order_Number__c: string | null;
  readonly X3_Order_Status__c: string | null;
  readonly X3_Order_Message__c: string | null;
};

type Kind = 'valid' | 'unknown-product' | 'over-stock' | 'credit-hold';

interface PlannedOpportunity {
  readonly kind: Kind;
  readonly accountId: string;
  readonly accountName: string;
  readonly lines: readonly { readonly productId: string; readonly quantity: number }[];
}

/**
 * Closed Won → X3 order with confirmation back, end to end: every service its own process, the real
 * Kafka, registry and PostgreSQL, the three sandboxes. 200 won opportunities — new customers with
 * several orders each, unknown products, quantities over the available stock, an account on credit
 * hold — through Salesforce CDC, salesforce-ingest, the transformer, x3-order-writer and pardot-writer.
 */
describe('orders: 200 Closed Won opportunities become X3 orders, confirmed on the Opportunity', () => {
  let world: CustomerFlowWorld;
  let rep: SalesforceClient;
  const planned = new Map<string, PlannedOpportunity>();
  const kindCount = (kind: Kind) => [...planned.values()].filter((p) => p.kind === kind).length;

  const readOpportunities = async (ids: readonly string[]): Promise<OpportunityRow[]> => {
    const rows: OpportunityRow[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100).map((id) => `'${id}'`);
      rows.push(
        ...(await rep.queryAll<OpportunityRow>(
          `SELECT Id, X3_Order_Number__c, X3_Order_Status__c, X3_Order_Message__c FROM Opportunity WHERE Id IN (${chunk.join(',')})`,
        )),
      );
    }
    return rows;
  };

  /** Creates opportunities at Negotiation with their line items, then wins them all at once; returns their ids. */
  const createAndWin = async (plans: readonly PlannedOpportunity[]): Promise<string[]> => {
    const created = await rep.createMany(
      'Opportunity',
      plans.map((p, i) => ({
        Name: `E2E ${RUN} order ${i + 1}`,
        StageName: 'Negotiation/Review',
        CloseDate: new Date().toISOString().slice(0, 10),
        AccountId: p.accountId,
      })),
    );
    const ids = created.map((r) => {
      if (!r.success || !r.id) throw new Error(`opportunity not created: ${JSON.stringify(r.errors)}`);
      return r.id;
    });
    const lines = plans.flatMap((p, i) =>
      p.lines.map((line) => ({
        OpportunityId: ids[i],
        Product2Id: line.productId,
        Quantity: line.quantity,
        UnitPrice: 100,
      })),
    );
    for (const result of await rep.createMany('OpportunityLineItem', lines))
      if (!result.success) throw new Error(`line item not created: ${JSON.stringify(result.errors)}`);
    plans.forEach((p, i) => planned.set(ids[i] ?? '', p));
    const won = await rep.updateMany(
      'Opportunity',
      ids.map((Id) => ({ Id, StageName: 'Closed Won' })),
    );
    if (won.some((r) => !r.success)) throw new Error('opportunities not won');
    return ids;
  };

  beforeAll(async () => {
    world = await CustomerFlowWorld.start({
      label: 'orders-e2e',
      basePort: BASE_PORT,
      collect: [TOPICS.salesOrderRequestedV1, TOPICS.salesOrderRepliedV1],
      serviceEnv: {
        'salesforce-ingest': {
          ORDER_CONFIRMATION_TOKEN: CONFIRMATION_TOKEN,
          ORDER_CONFIRMATION_WAIT_MS: '60000',
        },
      },
    });
    rep = salesRep(world);
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('gives exactly one X3 order per valid opportunity, its number on the Opportunity, a typed rejection on each invalid one, no duplicate customer', async () => {
    // Products X3 has in stock at the shipping site, priced low enough for the new customers' credit.
    const stock = await x3Stock(world);
    const prices = new Map(
      (await x3Query(world, 'ITMMASTER', 'ITMMASTER')).map((r) => [String(r['ITMREF']), Number(r['BASPRI'])]),
    );
    const codes = [...stock.entries()]
      .filter(([key, available]) => key.endsWith(':FR011') && available >= 40)
      .map(([key]) => key.split(':')[0] ?? '')
      .filter((code) => (prices.get(code) ?? Infinity) < 1_000)
      .slice(0, 12);
    expect(codes.length).toBeGreaterThanOrEqual(8);
    const products = await rep.queryAll<{ Id: string; ProductCode: string }>(
      `SELECT Id, ProductCode FROM Product2 WHERE ProductCode IN (${codes.map((c) => `'${c}'`).join(',')})`,
    );
    const productId = new Map(products.map((p) => [p.ProductCode, p.Id]));
    const [ghost] = await rep.createMany('Product2', [
      { Name: `Ghost part ${RUN}`, ProductCode: `GHOST-${RUN}`, X3_Item_Code__c: `GHOST-${RUN}` },
    ]);
    if (!ghost?.id) throw new Error('ghost product not created');
    // Over-stock orders ask for a product no valid order takes, so its shortage message stays the same.
    const overCode = codes.pop() ?? '';
    const overQuantity = (stock.get(`${overCode}:FR011`) ?? 0) + 500;

    // 35 new accounts (no X3 customer yet): 185 valid orders over them, several each.
    const accounts = await rep.createMany(
      'Account',
      Array.from({ length: 35 }, (_, i) => ({
        Name: `E2E ${RUN} Customer ${String(i + 1).padStart(2, '0')}`,
        BillingCity: i % 2 === 0 ? 'Lyon' : 'Leeds',
        BillingPostalCode: i % 2 === 0 ? '69002' : 'LS1 4DY',
        BillingCountry: i % 2 === 0 ? 'France' : 'United Kingdom',
      })),
    );
    const accountIds = accounts.map((a) => a.id ?? '');
    const [held] = await rep.queryAll<{ Id: string; Name: string }>(
      "SELECT Id, Name FROM Account WHERE X3_Customer_Code__c = 'C00004'",
    );
    if (!held) throw new Error('the seeded account on credit hold is missing');

    const plans: PlannedOpportunity[] = [];
    const valid = (i: number) => [
      { productId: productId.get(codes[i % codes.length] ?? '') ?? '', quantity: 1 },
      ...(i % 3 === 0
        ? [{ productId: productId.get(codes[(i + 5) % codes.length] ?? '') ?? '', quantity: 1 }]
        : []),
    ];
    for (let i = 0; i < 185; i += 1) {
      const a = i % accountIds.length;
      plans.push({
        kind: 'valid',
        accountId: accountIds[a] ?? '',
        accountName: `E2E ${RUN} Customer ${String(a + 1).padStart(2, '0')}`,
        lines: valid(i),
      });
    }
    for (let i = 0; i < 6; i += 1)
      plans.push({
        kind: 'unknown-product',
        accountId: accountIds[i] ?? '',
        accountName: '',
        lines: [...valid(i), { productId: ghost.id, quantity: 1 }],
      });
    for (let i = 0; i < 6; i += 1)
      plans.push({
        kind: 'over-stock',
        accountId: accountIds[10 + i] ?? '',
        accountName: '',
        lines: [{ productId: productId.get(overCode) ?? '', quantity: overQuantity }],
      });
    for (let i = 0; i < 3; i += 1)
      plans.push({ kind: 'credit-hold', accountId: held.Id, accountName: held.Name, lines: valid(i) });
    expect(plans).toHaveLength(200);

    const started = Date.now();
    const ids = await createAndWin(plans);
    const rows = await waitFor(
      async () => {
        const read = await readOpportunities(ids);
        return read.every((r) => r.X3_Order_Status__c === 'Created' || r.X3_Order_Status__c === 'Rejected')
          ? read
          : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 1_000, description: 'the X3 outcome on all 200 Opportunities' },
    );
    const seconds = (Date.now() - started) / 1_000;
    console.log(
      `[orders-e2e] 200 won opportunities → X3 outcome on every Opportunity in ${seconds.toFixed(1)} s`,
    );

    const byKind = (kind: Kind) => rows.filter((r) => planned.get(r.Id)?.kind === kind);
    expect(
      byKind('valid').every(
        (r) => r.X3_Order_Status__c === 'Created' && /^SO\d+$/.test(r.X3_Order_Number__c ?? ''),
      ),
    ).toBe(true);
    expect(byKind('unknown-product').map((r) => [r.X3_Order_Status__c, r.X3_Order_Number__c])).toEqual(
      byKind('unknown-product').map(() => ['Rejected', null]),
    );
    for (const r of byKind('unknown-product')) expect(r.X3_Order_Message__c).toContain(`GHOST-${RUN}`);
    for (const r of byKind('over-stock')) {
      expect(r.X3_Order_Status__c).toBe('Rejected');
      expect(r.X3_Order_Message__c).toMatch(/not enough stock/i);
    }
    for (const r of byKind('credit-hold')) {
      expect(r.X3_Order_Status__c).toBe('Rejected');
      expect(r.X3_Order_Message__c).toMatch(/credit hold/i);
    }

    // Exactly one X3 order per valid opportunity, none for the others.
    const orders = await x3Query(world, 'SORDER', 'SOH', "left(CUSORDREF,3) eq '006'");
    const ordersByOpportunity = new Map<string, string[]>();
    for (const order of orders) {
      const ref = String(order['CUSORDREF']);
      if (planned.has(ref))
        ordersByOpportunity.set(ref, [...(ordersByOpportunity.get(ref) ?? []), String(order['SOHNUM'])]);
    }
    expect(ordersByOpportunity.size).toBe(kindCount('valid'));
    for (const r of byKind('valid')) expect(ordersByOpportunity.get(r.Id)).toEqual([r.X3_Order_Number__c]);

    // One X3 customer per new account, with the financial defaults of its country.
    const customers = await x3Query(
      world,
      'BPCUSTOMER',
      'BPCUSTOMER',
      `left(BPCNAM,${`E2E ${RUN}`.length}) eq 'E2E ${RUN}'`,
    );
    expect(customers).toHaveLength(accountIds.length);
    expect(new Set(customers.map((c) => c['BPCNAM'])).size).toBe(accountIds.length);
    for (const customer of customers)
      expect(customer).toMatchObject(
        customer['CRY'] === 'GB'
          ? { BCGCOD: 'STD', CUR: 'GBP', PTE: '30NET', VACBPR: 'GBR' }
          : { BCGCOD: 'STD', CUR: 'EUR', PTE: '30NET', VACBPR: 'FRA' },
      );
    // Each order of an account is sold to that account's one customer.
    const customerOfOrder = new Map(orders.map((o) => [String(o['CUSORDREF']), String(o['BPCORD'])]));
    const customerOfAccount = new Map<string, Set<string>>();
    for (const r of byKind('valid')) {
      const account = planned.get(r.Id)?.accountId ?? '';
      customerOfAccount.set(
        account,
        (customerOfAccount.get(account) ?? new Set()).add(customerOfOrder.get(r.Id) ?? ''),
      );
    }
    expect([...customerOfAccount.values()].every((set) => set.size === 1)).toBe(true);
  });

  it('creates nothing new when the same 200 requests are delivered again', async () => {
    const requests = world.messaging
      .events(TOPICS.salesOrderRequestedV1)
      .filter((e) => planned.has(e.value.opportunityId));
    const latest = new Map(requests.map((e) => [e.value.opportunityId, e.value]));
    expect(latest.size).toBe(200);
    const ordersBefore = (await x3Query(world, 'SORDER', 'SOH', "left(CUSORDREF,3) eq '006'")).length;
    const customersBefore = (await x3Query(world, 'BPCUSTOMER', 'BPCUSTOMER')).length;
    const repliesBefore = world.messaging.events(TOPICS.salesOrderRepliedV1).length;
    // pardot-x3's own writes carry its Sforce-Call-Options client; the sales rep's do not.
    const pipelineWrites = async () =>
      (await world.salesforce.ledger('PATCH /services/data/*/composite/sobjects')).filter(
        (w) => w.clientId === 'pardot-x3',
      );
    const opportunityWritesBefore = (await pipelineWrites()).length;

    await world.messaging.messaging.producer.sendAll(
      [...latest.values()].map((request) => outgoingEvent(TOPICS.salesOrderRequestedV1, request)),
    );
    await world.messaging.waitForEvents(
      TOPICS.salesOrderRepliedV1,
      (events) => events.length >= repliesBefore + 200,
      {
        timeoutMs: 180_000,
        description: '200 more replies',
      },
    );
    const again = world.messaging.events(TOPICS.salesOrderRepliedV1).slice(repliesBefore);
    expect(again.filter((e) => e.value.outcome === 'CREATED' && e.value.created?.customerCreated)).toEqual(
      [],
    );
    expect((await x3Query(world, 'SORDER', 'SOH', "left(CUSORDREF,3) eq '006'")).length).toBe(ordersBefore);
    expect((await x3Query(world, 'BPCUSTOMER', 'BPCUSTOMER')).length).toBe(customersBefore);
    // A confirmation behind the replies, as a marker: then no Opportunity was written again.
    const [marker] = await createAndWin([
      {
        kind: 'credit-hold',
        accountId: [...planned.values()].find((p) => p.kind === 'credit-hold')?.accountId ?? '',
        accountName: '',
        lines: [...planned.values()][0]?.lines ?? [],
      },
    ]);
    await waitFor(
      async () => (await readOpportunities([marker ?? '']))[0]?.X3_Order_Status__c === 'Rejected',
      {
        timeoutMs: 120_000,
        description: 'the marker opportunity',
      },
    );
    const writes = (await pipelineWrites()).slice(opportunityWritesBefore);
    const written = writes.flatMap((w) =>
      (w.requestBody as { records: { id: string }[] }).records.map((r) => r.id),
    );
    expect(written).toEqual([marker]);
  });

  it('answers the synchronous endpoint with the order number, or 422 and the reason', async () => {
    const plans = [...planned.values()];
    const validPlan = plans.find((p) => p.kind === 'valid');
    const unknownPlan = plans.find((p) => p.kind === 'unknown-product');
    if (!validPlan || !unknownPlan) throw new Error('no plans');
    const [validId = '', unknownId = ''] = await createAndWin([validPlan, unknownPlan]);
    const confirm = (opportunityId: string) =>
      fetch(`${world.url('salesforce-ingest')}/orders/confirmations`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${CONFIRMATION_TOKEN}`,
          ...world.auth(),
        },
        body: JSON.stringify({ opportunityId }),
      });
    const created = await confirm(validId);
    expect(created.status).toBe(201);
    const createdBody = (await created.json()) as { outcome: string; orderNumber: string };
    expect(createdBody).toMatchObject({
      opportunityId: validId,
      outcome: 'CREATED',
      orderNumber: expect.stringMatching(/^SO\d+$/),
    });
    const rejected = await confirm(unknownId);
    expect(rejected.status).toBe(422);
    expect(await rejected.json()).toMatchObject({
      opportunityId: unknownId,
      outcome: 'REJECTED',
      reason: 'UNKNOWN_PRODUCT',
      lines: [expect.objectContaining({ productCode: `GHOST-${RUN}`, reason: 'UNKNOWN_PRODUCT' })],
    });
    // The endpoint and the CDC path asked for the same opportunity: one order.
    const orders = await x3Query(world, 'SORDER', 'SOH', `CUSORDREF eq '${validId}'`);
    expect(orders.map((o) => o['SOHNUM'])).toEqual([createdBody.orderNumber]);
  });
});
