import { createHmac, timingSafeEqual } from 'node:crypto';
import { TOPICS, type GoldenCustomer, type InventoryLevel, type SalesOrderReply } from '@pardot-x3/canonical';
import { outgoingEvent } from '@pardot-x3/messaging';
import { waitFor } from '@pardot-x3/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PARDOT_BUSINESS_UNIT,
  SALESFORCE_CLIENT,
  startPardotWriter,
  WEBHOOK_SECRET,
  type PardotWriterFixture,
} from './support/pardot-writer.fixture.js';

interface PardotPage<T> {
  values: T[];
}

function created(opportunityId: string, orderNumber: string): SalesOrderReply {
  return {
    opportunityId,
    outcome: 'CREATED',
    created: {
      orderNumber,
      opportunityId,
      x3CustomerCode: 'C00001',
      customerCreated: false,
      customerEmail: null,
      orderDate: '2026-11-20',
      createdAt: new Date('2026-11-20T10:00:00Z'),
      salesSite: 'FR011',
      totalAmount: null,
      lines: [],
    },
    rejected: null,
  };
}

function rejected(opportunityId: string, message: string): SalesOrderReply {
  return {
    opportunityId,
    outcome: 'REJECTED',
    created: null,
    rejected: {
      opportunityId,
      reason: 'UNKNOWN_PRODUCT',
      message,
      lines: [],
      rejectedAt: new Date('2026-11-20T10:00:00Z'),
    },
  };
}

function golden(goldenId: string, email: string, codes: string[]): GoldenCustomer {
  return {
    goldenId,
    version: 1,
    updatedAt: new Date('2026-11-20T10:00:00Z'),
    createdAt: new Date('2026-11-01T10:00:00Z'),
    email,
    firstName: null,
    lastName: null,
    companyName: null,
    phone: null,
    address: null,
    customerCode: codes[0] ?? null,
    customerGroup: null,
    currencyCode: null,
    paymentTerms: null,
    creditStatus: null,
    totalRevenue: null,
    lastPurchaseDate: null,
    industrySegment: null,
    pardotGrade: null,
    pardotScore: null,
    customFields: {},
    xrefs: {
      x3CustomerCodes: codes,
      salesforceLeadIds: [],
      salesforceContactIds: [],
      salesforceAccountIds: [],
      pardotProspectIds: [],
    },
    provenance: {},
    mergedFrom: [],
  };
}

function level(
  itemRef: string,
  site: string,
  available: number,
  at: number,
  sourceSequence: number | null = null,
): InventoryLevel {
  return {
    itemRef,
    site,
    physicalStock: String(available + 5),
    allocatedStock: '5',
    availableStock: String(available),
    stockUnit: null,
    itemDescription: null,
    measuredAt: new Date(at),
    sourceSequence,
  };
}

/**
 * pardot-writer's order, activity and inventory use cases on the real stack, against the Salesforce and
 * Pardot sandboxes and an e-commerce stand-in.
 */
describe('pardot-writer: order outcomes, ERP activities, stock subscribers', () => {
  let f: PardotWriterFixture;
  let opportunities: string[];
  let products: string[];

  beforeAll(async () => {
    f = await startPardotWriter({
      label: 'pw-flows',
      httpPort: 21015,
      salesforcePort: 21110,
      pardotPort: 21210,
      webhookPort: 21450,
    });
    opportunities = (
      await f.salesforceClient.queryAll<{ Id: string }>('SELECT Id FROM Opportunity ORDER BY Id LIMIT 3')
    ).map((o) => o.Id);
    products = (
      await f.salesforceClient.queryAll<{ Id: string; X3_Item_Code__c: string }>(
        'SELECT X3_Item_Code__c FROM Product2 ORDER BY X3_Item_Code__c LIMIT 3',
      )
    ).map((p) => p.X3_Item_Code__c);
    expect(opportunities).toHaveLength(3);
    expect(products).toHaveLength(3);
  });

  afterAll(async () => {
    await f?.close();
  });

  it('writes the X3 order number or the rejection onto each Opportunity, in batches, and nothing again for the same replies', async () => {
    const [a = '', b = '', c = ''] = opportunities;
    const replies = [
      created(a, 'SO0000101'),
      created(b, 'SO0000102'),
      rejected(c, 'Sage X3 does not know NOPE-1. '.repeat(60)),
    ];
    await f.messaging.messaging.producer.sendAll(
      replies.map((value) => outgoingEvent(TOPICS.salesOrderRepliedV1, value)),
    );
    const read = async (id: string) =>
      f.salesforceClient.retrieve('Opportunity', id, [
        'X3_Order_Number__c',
        'X3_Order_Status__c',
        'X3_Order_Message__c',
      ]);
    await waitFor(async () => (await read(c))['X3_Order_Status__c'] === 'Rejected', {
      description: 'the write-back',
    });
    expect(await read(a)).toMatchObject({ X3_Order_Number__c: 'SO0000101', X3_Order_Status__c: 'Created' });
    const rejection = await read(c);
    expect(String(rejection['X3_Order_Message__c'])).toHaveLength(1_000);
    expect(String(rejection['X3_Order_Message__c'])).toMatch(/^Sage X3 does not know NOPE-1\..*…$/);
    const writes = await f.salesforce.ledger('PATCH /services/data/*/composite/sobjects');
    // Batched per partition of the reply topic (3 here), not one call per reply.
    expect(writes.length).toBeLessThanOrEqual(3);
    // The same replies again (a redelivered request answered again): nothing to write.
    await f.messaging.messaging.producer.sendAll(
      replies.map((value) => outgoingEvent(TOPICS.salesOrderRepliedV1, value)),
    );
    await f.messaging.send(TOPICS.salesOrderRepliedV1, created(a, 'SO0000199'));
    await waitFor(async () => (await read(a))['X3_Order_Number__c'] === 'SO0000199', {
      description: 'the marker',
    });
    const after = await f.salesforce.ledger('PATCH /services/data/*/composite/sobjects');
    const records = after
      .slice(writes.length)
      .flatMap((w) => (w.requestBody as { records: { id: string }[] }).records);
    expect(records.map((r) => r.id)).toEqual([a]);
  });

  it('sends a validated delivery as one "X3 Order Shipped" activity on the customer\'s prospect, once', async () => {
    const token = (await (
      await fetch(`${f.salesforce.baseUrl}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: SALESFORCE_CLIENT.id,
          client_secret: SALESFORCE_CLIENT.secret,
        }),
      })
    ).json()) as { access_token: string };
    const page = (await (
      await fetch(`${f.pardot.baseUrl}/api/v5/objects/prospects?fields=id,email&limit=1`, {
        headers: {
          authorization: `Bearer ${token.access_token}`,
          'pardot-business-unit-id': PARDOT_BUSINESS_UNIT,
        },
      })
    ).json()) as PardotPage<{ id: number; email: string }>;
    const email = page.values[0]?.email ?? '';
    expect(email).toContain('@');
    await f.messaging.send(
      TOPICS.customerGoldenRecordMasteredV1,
      golden('golden-activity', email, ['C00031']),
    );
    const shipment = {
      deliveryNumber: 'SD0000077',
      orderNumber: 'SO0000077',
      opportunityId: null,
      x3CustomerCode: 'C00031',
      customerEmail: null,
      deliveryDate: '2026-11-24',
      validatedAt: new Date('2026-11-24T09:30:00Z'),
      shipSite: 'FR011',
      carrier: null,
      trackingNumber: null,
      lines: [],
    };
    await f.messaging.send(TOPICS.salesShipmentValidatedV1, shipment);
    await f.messaging.send(TOPICS.salesShipmentValidatedV1, shipment);
    const activities = await waitFor(
      async () => {
        const ledger = await f.pardot.ledger('POST /api/v5/external-activities');
        return ledger.length >= 1 ? ledger : undefined;
      },
      { description: 'the external activity' },
    );
    expect(activities.map((a) => a.requestBody)).toEqual([
      {
        extension: 'PardotX3',
        type: 'X3_Order_Shipped',
        value: 'SO0000077',
        email,
        activityDate: '2026-11-24T09:30:00+00:00',
      },
    ]);
    // The order's creation, as a marker that the duplicate shipment was handled too.
    const order = created('006MARKER00000001A', 'SO0000077').created;
    if (!order) throw new Error('no order');
    await f.messaging.send(TOPICS.salesOrderCreatedV1, { ...order, x3CustomerCode: 'C00031' });
    await waitFor(async () => (await f.pardot.ledger('POST /api/v5/external-activities')).length === 2, {
      description: 'the order-created activity',
    });
    const all = await f.pardot.ledger('POST /api/v5/external-activities');
    expect(all.map((a) => (a.requestBody as { type: string }).type)).toEqual([
      'X3_Order_Shipped',
      'X3_Order_Created',
    ]);
    expect(all.every((a) => a.status === 204 || a.status === 201)).toBe(true);
  });

  it('brings both stock subscribers to the final level of every product: Salesforce in batches, the webhook signed and retried', async () => {
    const [p1 = '', p2 = '', p3 = ''] = products;
    const start = Date.now() - 60_000;
    // The e-commerce site fails first: the webhook retries.
    f.webhook.status = 503;
    const levels: InventoryLevel[] = [];
    for (let i = 0; i < 30; i += 1) {
      levels.push(level(p1, 'FR011', 100 - i, start + i * 1_000));
      levels.push(level(p2, 'FR011', 50 + (i % 3), start + i * 1_000));
      levels.push(level(p2, 'US011', 20, start + i * 1_000));
    }
    levels.push(level(p3, 'FR011', 0, start));
    await f.messaging.messaging.producer.sendAll(
      levels.map((value) => outgoingEvent(TOPICS.inventoryStockLevelChangedV1, value)),
    );
    await waitFor(() => f.webhook.received.length >= 2, { description: 'failed webhook calls' });
    f.webhook.status = 200;
    const expected = new Map([
      [p1, 71],
      [p2, 52 + 20],
      [p3, 0],
    ]);
    await waitFor(
      async () => {
        const rows = await f.salesforceClient.queryAll<{
          Id: string;
          X3_Item_Code__c: string;
          Stock_Available__c: number;
        }>(
          `SELECT X3_Item_Code__c, Stock_Available__c FROM Product2 WHERE X3_Item_Code__c IN ('${p1}', '${p2}', '${p3}')`,
        );
        return (
          rows.every((r) => r.Stock_Available__c === expected.get(r.X3_Item_Code__c)) && rows.length === 3
        );
      },
      { timeoutMs: 60_000, description: 'the final stock on the Salesforce products' },
    );
    // The webhook's latest delivered level of every product and site is the final one.
    const latest = new Map<string, string>();
    await waitFor(
      () => {
        latest.clear();
        for (const call of f.webhook.received.filter((r) => r.headers['x-px3-timestamp'] !== undefined)) {
          const body = JSON.parse(call.body) as {
            levels: { itemRef: string; site: string; availableStock: string; measuredAt: string }[];
          };
          for (const l of body.levels) latest.set(`${l.itemRef}:${l.site}`, l.availableStock);
        }
        return (
          latest.get(`${p1}:FR011`) === '71' &&
          latest.get(`${p2}:FR011`) === '52' &&
          latest.get(`${p3}:FR011`) === '0'
        );
      },
      { timeoutMs: 60_000, description: 'the final levels at the webhook' },
    );
    expect(latest.get(`${p2}:US011`)).toBe('20');
    for (const call of f.webhook.received) {
      const timestamp = String(call.headers['x-px3-timestamp']);
      const expectedSignature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${call.body}`).digest('hex')}`;
      const signature = String(call.headers['x-px3-signature']);
      expect(signature.length).toBe(expectedSignature.length);
      expect(timingSafeEqual(Buffer.from(signature), Buffer.from(expectedSignature))).toBe(true);
    }
    // Far fewer Salesforce calls than levels, never more than 200 records in one.
    const calls = await f.salesforce.ledger('PATCH /services/data/*/composite/sobjects/Product2/*');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.length).toBeLessThan(levels.length / 5);
    for (const call of calls)
      expect((call.requestBody as { records: unknown[] }).records.length).toBeLessThanOrEqual(200);
  });

  it("keeps the level with X3's higher change counter when two share a second, whatever order they come in", async () => {
    const [, , p3 = ''] = products;
    const at = Date.now() - 10_000;
    // Two versions of one X3 stock total in the same second (UPDDATTIM has whole seconds), the newer
    // first: the older one must not undo it, at either subscriber.
    const newer = outgoingEvent(TOPICS.inventoryStockLevelChangedV1, level(p3, 'FR011', 40, at, 9));
    const older = outgoingEvent(TOPICS.inventoryStockLevelChangedV1, level(p3, 'FR011', 15, at, 8), {
      eventId: `older-${p3}-${at}`,
    });
    await f.messaging.messaging.producer.sendAll([newer, older]);
    const db = f.app.nest.get(DataSource);
    await waitFor(
      async () =>
        (
          (await db.query(
            `SELECT consumer_group FROM px3_processed_event WHERE event_id = $1
              AND (consumer_group LIKE '%stock-fields' OR consumer_group LIKE '%stock-webhook')`,
            [`older-${p3}-${at}`],
          )) as unknown[]
        ).length === 2,
      { description: 'the older level handled by both subscribers' },
    );
    const states = (await db.query(
      `SELECT subscriber, state, pending_since FROM pardot_writer_stock_state WHERE item_code = $1 AND site = 'FR011'`,
      [p3],
    )) as { subscriber: string; state: { latestAvailable: number }; pending_since: Date | null }[];
    expect(states.map((r) => [r.subscriber, r.state.latestAvailable, r.pending_since]).sort()).toEqual([
      ['stock-fields', 40, null],
      ['stock-webhook', 40, null],
    ]);
    await waitFor(
      async () =>
        (
          await f.salesforceClient.queryAll<{ Id: string; Stock_Available__c: number }>(
            `SELECT Stock_Available__c FROM Product2 WHERE X3_Item_Code__c = '${p3}'`,
          )
        )[0]?.Stock_Available__c === 40,
      { description: 'the newer level in Salesforce' },
    );
    // The webhook's levels carry a version per product and site: the highest one is the newer level.
    await waitFor(
      () => {
        const delivered = f.webhook.received
          .filter((r) => r.headers['x-px3-timestamp'] !== undefined)
          .flatMap(
            (call) =>
              (
                JSON.parse(call.body) as {
                  levels: { itemRef: string; site: string; availableStock: string; version: number }[];
                }
              ).levels,
          )
          .filter((l) => l.itemRef === p3 && l.site === 'FR011')
          .sort((a, b) => a.version - b.version);
        return delivered.at(-1)?.availableStock === '40';
      },
      { description: 'the newer level, with the highest version, at the webhook' },
    );
  });
});

/**
 * The stock subscribers at scale, without ingestion in front (x3-ingest coalesces versions of one
 * X3 record): 10,000 levels of 100 products, as fast as Kafka delivers them.
 */
describe('pardot-writer: 10,000 stock levels of 100 products', () => {
  let f: PardotWriterFixture;

  beforeAll(async () => {
    f = await startPardotWriter({
      label: 'pw-stock-scale',
      httpPort: 21025,
      salesforcePort: 21120,
      pardotPort: 21220,
      webhookPort: 21460,
    });
  });

  afterAll(async () => {
    await f?.close();
  });

  it('ends with the final level of every product at both subscribers, in few Salesforce calls of ≤ 200 records', async () => {
    const products = (
      await f.salesforceClient.queryAll<{ Id: string; X3_Item_Code__c: string }>(
        'SELECT Id, X3_Item_Code__c FROM Product2 ORDER BY X3_Item_Code__c',
      )
    ).map((p) => p.X3_Item_Code__c);
    // The sandbox world has fewer products: the others are refused by Salesforce (not there) and left.
    const items = Array.from({ length: 100 }, (_, i) => products[i] ?? `NOSF-${String(i).padStart(3, '0')}`);
    const start = Date.now() - 3_600_000;
    const finalLevel = new Map<string, number>();
    const levels: InventoryLevel[] = [];
    for (let n = 0; n < 10_000; n += 1) {
      const item = items[n % items.length] ?? '';
      const site = n % 2 === 0 ? 'FR011' : 'US011';
      const available = 20 + ((n * 7919) % 180);
      levels.push(level(item, site, available, start + n * 100));
      finalLevel.set(`${item}:${site}`, available);
    }
    const started = Date.now();
    for (let i = 0; i < levels.length; i += 1_000)
      await f.messaging.messaging.producer.sendAll(
        levels.slice(i, i + 1_000).map((value) => outgoingEvent(TOPICS.inventoryStockLevelChangedV1, value)),
      );
    const inSalesforce = items.filter((item) => products.includes(item));
    await waitFor(
      async () => {
        const rows = await f.salesforceClient.queryAll<{
          Id: string;
          X3_Item_Code__c: string;
          Stock_Available__c: number;
        }>('SELECT Id, X3_Item_Code__c, Stock_Available__c FROM Product2');
        return inSalesforce.every((item) => {
          const row = rows.find((r) => r.X3_Item_Code__c === item);
          return (
            row?.Stock_Available__c ===
            (finalLevel.get(`${item}:FR011`) ?? 0) + (finalLevel.get(`${item}:US011`) ?? 0)
          );
        });
      },
      { timeoutMs: 120_000, description: 'the final stock of every product in Salesforce' },
    );
    const salesforceSeconds = (Date.now() - started) / 1_000;
    await waitFor(
      () => {
        const latest = new Map<string, string>();
        for (const call of f.webhook.received)
          for (const l of (
            JSON.parse(call.body) as { levels: { itemRef: string; site: string; availableStock: string }[] }
          ).levels)
            latest.set(`${l.itemRef}:${l.site}`, l.availableStock);
        return [...finalLevel].every(([key, available]) => latest.get(key) === String(available));
      },
      { timeoutMs: 120_000, description: 'the final level of every product and site at the webhook' },
    );
    const webhookSeconds = (Date.now() - started) / 1_000;
    const calls = (await f.salesforce.ledger('PATCH /services/data/*/composite/sobjects/Product2/*')).filter(
      (c) => c.clientId === 'pardot-x3',
    );
    const records = calls.map((c) => (c.requestBody as { records: unknown[] }).records.length);
    console.log(
      `[pardot-writer stock] 10,000 levels of 100 products: Salesforce final after ${salesforceSeconds.toFixed(1)} s in ${calls.length} calls ` +
        `(${records.reduce((a, b) => a + b, 0)} records); webhook final after ${webhookSeconds.toFixed(1)} s in ${f.webhook.received.length} calls`,
    );
    expect(Math.max(...records)).toBeLessThanOrEqual(200);
    expect(calls.length).toBeLessThan(10_000 / 20);
  });
});
