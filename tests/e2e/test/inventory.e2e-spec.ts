import { createHmac, timingSafeEqual } from 'node:crypto';
import { rmSync } from 'node:fs';
import { waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerFlowWorld } from './customer-flow.fixture.js';
import {
  configWithQuickStockPolicy,
  salesRep,
  StockWebhookReceiver,
  x3Stock,
} from './orders-world.fixture.js';

const BASE_PORT = 21000;
const WEBHOOK_PORT = 21400;
const WEBHOOK_SECRET = 'inventory-e2e-webhook-secret';
const MOVEMENTS = 10_000;

/** X3's available stock summed over the sites, per product (what Product2.Stock_Available__c must hold). */
function availablePerItem(stock: ReadonlyMap<string, number>): Map<string, number> {
  const perItem = new Map<string, number>();
  for (const [key, available] of stock) {
    const item = key.split(':')[0] ?? '';
    perItem.set(item, Math.round(((perItem.get(item) ?? 0) + available) * 100) / 100);
  }
  return perItem;
}

interface WebhookBody {
  readonly levels: readonly {
    readonly itemRef: string;
    readonly site: string;
    readonly availableStock: string;
    readonly measuredAt: string;
    readonly version: number;
  }[];
}

/**
 * Inventory publish-subscribe, end to end: 10,000 X3 stock movements over 100 products (the X3
 * sandbox's generator) reach, through x3-ingest and the transformer, the compacted stock-level topic
 * and its two independent subscribers — Salesforce Product2 stock fields and the HMAC-signed
 * e-commerce webhook — which both end with the final stock of every product, Salesforce written in
 * batches of at most 200 records and far fewer calls than movements.
 */
describe('inventory: 10,000 stock movements reach both subscribers', () => {
  let world: CustomerFlowWorld;
  let webhook: StockWebhookReceiver;
  let configDir: string;

  beforeAll(async () => {
    webhook = await StockWebhookReceiver.start(WEBHOOK_PORT);
    // The shipped policy holds small changes up to 15 minutes; the same rules over seconds here.
    configDir = configWithQuickStockPolicy('2s', '5s');
    world = await CustomerFlowWorld.start({
      label: 'inventory-e2e',
      basePort: BASE_PORT,
      // No seeded opportunities: their orders would allocate stock during the run (another flow's effect).
      seedCounts: { products: 100, opportunities: 0 },
      serviceEnv: {
        'pardot-writer': {
          PX3_CONFIG_DIR: configDir,
          ERP_ACTIVITY_TYPES: '',
          STOCK_TICK_MS: '500',
          STOCK_FLUSH_MS: '500',
          STOCK_WEBHOOK_URL: `http://127.0.0.1:${WEBHOOK_PORT}/stock`,
          STOCK_WEBHOOK_SECRET: WEBHOOK_SECRET,
        },
      },
    });
  });

  afterAll(async () => {
    await world?.stop();
    await webhook?.stop();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('ends with the final stock of every product at both subscribers, Salesforce in few batched calls', async () => {
    const rep = salesRep(world);
    const started = Date.now();
    const generated = await world.x3.admin<{ applied: number }>('POST', '/x3/stock-movements', {
      generate: MOVEMENTS,
      seed: 42,
    });
    expect(generated).toMatchObject({ applied: MOVEMENTS });
    // The expected values are X3's stock as it is when each check runs, not a snapshot taken now: the
    // seeded world's Closed Won opportunities become X3 orders during the run, and their allocations
    // change the stock of a few products too — the subscribers must end with that stock.
    let final = await x3Stock(world);
    const items = new Set([...final.keys()].map((key) => key.split(':')[0] ?? ''));
    expect(items.size).toBe(100);

    // Subscriber 1: Salesforce Product2.Stock_Available__c = the available stock over the sites.
    await waitFor(
      async () => {
        const rows = await rep.queryAll<{ Id: string; X3_Item_Code__c: string; Stock_Available__c: number }>(
          'SELECT Id, X3_Item_Code__c, Stock_Available__c FROM Product2 WHERE X3_Item_Code__c != null',
        );
        const perItem = availablePerItem(await x3Stock(world));
        const mismatched = rows.filter(
          (r) => perItem.has(r.X3_Item_Code__c) && r.Stock_Available__c !== perItem.get(r.X3_Item_Code__c),
        );
        return rows.length >= 100 && mismatched.length === 0;
      },
      { timeoutMs: 600_000, intervalMs: 2_000, description: 'the final stock on every Salesforce product' },
    );
    const salesforceSeconds = (Date.now() - started) / 1_000;

    // Subscriber 2: the webhook's newest level (highest version) of every product and site is X3's final one.
    const latest = new Map<string, { available: string; version: number }>();
    await waitFor(
      async () => {
        final = await x3Stock(world);
        latest.clear();
        for (const call of webhook.calls) {
          for (const level of (JSON.parse(call.body) as WebhookBody).levels) {
            const key = `${level.itemRef}:${level.site}`;
            const known = latest.get(key);
            if (!known || known.version < level.version)
              latest.set(key, { available: level.availableStock, version: level.version });
          }
        }
        return [...final].every(([key, available]) => Number(latest.get(key)?.available) === available);
      },
      {
        timeoutMs: 600_000,
        intervalMs: 1_000,
        description: 'the final stock of every product and site at the webhook',
      },
    );
    const webhookSeconds = (Date.now() - started) / 1_000;

    // Every notification of the 10,000 changes delivered to x3-ingest, and every consumer of the flow
    // caught up: the older levels that came after the final one (the poller read the final totals
    // first) changed nothing at either subscriber.
    await waitFor(
      async () =>
        (await world.x3.admin<{ deliveries: unknown[] }>('GET', '/x3/webhook-deliveries?state=pending'))
          .deliveries.length === 0,
      { timeoutMs: 600_000, intervalMs: 2_000, description: 'every X3 notification delivered' },
    );
    await waitFor(
      async () => {
        const lags = await Promise.all(
          (['x3-ingest', 'transformer', 'pardot-writer'] as const).map(async (service) =>
            (await (await fetch(`${world.url(service)}/metrics`)).text())
              .split('\n')
              .filter((line) => line.startsWith('px3_consumer_lag{') && /inventory|stock/.test(line))
              .map((line) => Number(line.split(' ').at(-1))),
          ),
        );
        return lags.flat().length > 0 && lags.flat().every((lag) => lag === 0);
      },
      { timeoutMs: 600_000, intervalMs: 2_000, description: 'the stock consumers caught up' },
    );
    const drainedSeconds = (Date.now() - started) / 1_000;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    final = await x3Stock(world);
    const perItem = availablePerItem(final);
    const after = await rep.queryAll<{ Id: string; X3_Item_Code__c: string; Stock_Available__c: number }>(
      'SELECT Id, X3_Item_Code__c, Stock_Available__c FROM Product2 WHERE X3_Item_Code__c != null',
    );
    expect(
      after.filter(
        (r) => perItem.has(r.X3_Item_Code__c) && r.Stock_Available__c !== perItem.get(r.X3_Item_Code__c),
      ),
    ).toEqual([]);
    const newest = new Map<string, { available: string; version: number }>();
    for (const call of webhook.calls)
      for (const level of (JSON.parse(call.body) as WebhookBody).levels) {
        const key = `${level.itemRef}:${level.site}`;
        const known = newest.get(key);
        if (!known || known.version < level.version)
          newest.set(key, { available: level.availableStock, version: level.version });
      }
    expect([...final].filter(([key, available]) => Number(newest.get(key)?.available) !== available)).toEqual(
      [],
    );
    const produced = (await (await fetch(`${world.url('transformer')}/metrics`)).text())
      .split('\n')
      .find(
        (line) =>
          line.startsWith('px3_messages_produced_total{') &&
          line.includes('topic="inventory.stock-level.changed.v1"'),
      );

    for (const call of webhook.calls) {
      const timestamp = String(call.headers['x-px3-timestamp']);
      const expected = Buffer.from(
        `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${call.body}`).digest('hex')}`,
      );
      const signature = Buffer.from(String(call.headers['x-px3-signature']));
      expect(signature.length === expected.length && timingSafeEqual(signature, expected)).toBe(true);
    }

    const calls = (
      await world.salesforce.ledger('PATCH /services/data/*/composite/sobjects/Product2/*')
    ).filter((c) => c.clientId === 'pardot-x3');
    const records = calls.map((c) => (c.requestBody as { records: unknown[] }).records.length);
    console.log(
      `[inventory-e2e] ${MOVEMENTS} movements over ${items.size} products: Salesforce final after ${salesforceSeconds.toFixed(1)} s ` +
        `in ${calls.length} calls (${records.reduce((a, b) => a + b, 0)} records, at most ${Math.max(...records)} per call); ` +
        `webhook final after ${webhookSeconds.toFixed(1)} s in ${webhook.calls.length} calls; ` +
        `all notifications drained after ${drainedSeconds.toFixed(1)} s; stock levels published: ${produced?.split(' ').at(-1) ?? '?'}`,
    );
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.length).toBeLessThan(MOVEMENTS / 20);
    expect(Math.max(...records)).toBeLessThanOrEqual(200);
  });
});
