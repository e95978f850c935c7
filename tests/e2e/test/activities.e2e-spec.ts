import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findRepositoryRoot } from '@pardot-x3/local-stack';
import { waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerFlowWorld, PARDOT_BUSINESS_UNIT, SALESFORCE_CLIENT } from './customer-flow.fixture.js';
import { x3Stock } from './orders-world.fixture.js';

const BASE_PORT = 21000;
const EXTENSION = 'PardotX3';
const TYPES = ['X3_Order_Created', 'X3_Order_Shipped', 'X3_Invoice_Posted'];
const REGISTERED = TYPES.map((type) => `${EXTENSION}:${type}`).join(',');

interface ExternalActivity {
  readonly id: number;
  readonly prospectId: number;
  readonly type: string;
  readonly value: string;
  readonly email: string;
}

/**
 * X3 events as Account Engagement activities, end to end: an order entered in X3 and its delivery
 * validated by the warehouse (the X3 sandbox's webhook) reach Pardot as "X3 Order Created" and exactly
 * one "X3 Order Shipped" external activity on the customer's prospect, through x3-ingest, the
 * transformer, mdm (the customer's e-mail) and pardot-writer, every service its own process.
 */
describe('activities: X3 events become external activities on the right prospect', () => {
  let world: CustomerFlowWorld;
  let email: string;
  let prospectId: number;

  const pardotGet = async <T>(path: string): Promise<T> => {
    const token = await world.salesforceToken();
    const response = await fetch(`${world.pardot.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}`, 'pardot-business-unit-id': PARDOT_BUSINESS_UNIT },
    });
    if (!response.ok) throw new Error(`Pardot GET ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const activitiesOfProspect = async (): Promise<ExternalActivity[]> =>
    (
      await pardotGet<{ values: ExternalActivity[] }>(
        `/api/v5/external-activities?fields=id,prospectId,type,value,email&prospectId=${prospectId}`,
      )
    ).values;

  beforeAll(async () => {
    world = await CustomerFlowWorld.start({
      label: 'activities-e2e',
      basePort: BASE_PORT,
      sandboxEnv: {
        pardot: { PARDOT_EXTERNAL_ACTIVITY_TYPES: REGISTERED },
        salesforce: { SF_MARKETING_APP_EXTENSIONS: REGISTERED },
      },
      serviceEnv: { 'pardot-writer': { PARDOT_EXTERNAL_ACTIVITY_EXTENSION: EXTENSION } },
    });
    const customer = await world.x3Api<Record<string, unknown>>(
      'GET',
      "BPCUSTOMER('C00001')?representation=BPCUSTOMER.$details",
    );
    email = String(customer['WEB']);
    const prospects = await pardotGet<{ values: { id: number; email: string }[] }>(
      `/api/v5/objects/prospects?fields=id,email&limit=1000`,
    );
    const prospect = prospects.values.find((p) => p.email === email);
    if (!prospect) throw new Error(`no Pardot prospect has the X3 customer's e-mail ${email}`);
    prospectId = prospect.id;
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('has the external activity setup checked by ./pardot-x3 pardot activities check', () => {
    const root = findRepositoryRoot();
    const result = spawnSync(
      process.execPath,
      [join(root, 'apps', 'ops-cli', 'dist', 'main.js'), 'pardot', 'activities', 'check', '--json'],
      {
        cwd: root,
        encoding: 'utf8',
        env: {
          ...process.env,
          SALESFORCE_LOGIN_URL: world.salesforce.baseUrl,
          SALESFORCE_CLIENT_ID: SALESFORCE_CLIENT.id,
          SALESFORCE_CLIENT_SECRET: SALESFORCE_CLIENT.secret,
          PARDOT_BUSINESS_UNIT_ID: PARDOT_BUSINESS_UNIT,
          PARDOT_EXTERNAL_ACTIVITY_EXTENSION: EXTENSION,
        },
      },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, extension: EXTENSION, problems: [] });
  });

  it('turns a delivery validated in X3 into exactly one "X3 Order Shipped" activity on the customer\'s prospect', async () => {
    // Someone in X3 updates the customer: mdm learns its e-mail (the activity's recipient).
    await world.x3Api('PUT', "BPCUSTOMER('C00001')?representation=BPCUSTOMER.$edit", {
      TEL: '+31 20 555 0101',
    });
    await waitFor(
      async () =>
        (
          await world.query(
            "SELECT 1 FROM pardot_writer_golden_contact WHERE 'C00001' = ANY(x3_customer_codes) AND email IS NOT NULL",
          )
        ).length > 0,
      { timeoutMs: 120_000, description: "the customer's golden record at pardot-writer" },
    );
    const stock = await x3Stock(world);
    const product =
      [...stock.entries()]
        .find(([key, available]) => key.endsWith(':FR011') && available > 10)?.[0]
        .split(':')[0] ?? '';
    const order = await world.x3Api<Record<string, unknown>>('POST', 'SORDER?representation=SOH.$create', {
      BPCORD: 'C00001',
      SORDERQ: [{ ITMREF: product, QTY: 1 }],
    });
    const orderNumber = String(order['SOHNUM']);
    const delivery = await world.x3Api<Record<string, unknown>>(
      'POST',
      'SDELIVERY?representation=SDH.$create',
      {
        SOHNUM: orderNumber,
      },
    );
    await world.x3.admin('POST', `/x3/deliveries/${String(delivery['SDHNUM'])}/validate`);

    const shipped = await waitFor(
      async () => {
        const all = await activitiesOfProspect();
        return all.some((a) => a.type === 'X3_Order_Shipped') ? all : undefined;
      },
      { timeoutMs: 120_000, description: 'the X3 Order Shipped activity' },
    );
    expect(shipped.filter((a) => a.type === 'X3_Order_Shipped')).toEqual([
      expect.objectContaining({ type: 'X3_Order_Shipped', value: orderNumber, email, prospectId }),
    ]);
    expect(shipped.filter((a) => a.type === 'X3_Order_Created')).toEqual([
      expect.objectContaining({ value: orderNumber }),
    ]);

    // A second order as a marker: once its activity is there, the first delivery's changes (polls
    // overlapping the webhook, the order's own updates) have all been handled — still one shipment.
    const second = await world.x3Api<Record<string, unknown>>('POST', 'SORDER?representation=SOH.$create', {
      BPCORD: 'C00001',
      SORDERQ: [{ ITMREF: product, QTY: 1 }],
    });
    await waitFor(
      async () => (await activitiesOfProspect()).some((a) => a.value === String(second['SOHNUM'])),
      { timeoutMs: 120_000, description: 'the marker order activity' },
    );
    const all = await activitiesOfProspect();
    expect(all.filter((a) => a.type === 'X3_Order_Shipped').map((a) => a.value)).toEqual([orderNumber]);
  });
});
