import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { X3Sandbox, messages } from './x3-sandbox.harness.js';

const sandbox = new X3Sandbox(15303);

beforeAll(async () => {
  await sandbox.start();
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  await sandbox.admin('POST', '/__admin/reset');
});

async function stock(item: string, site = 'FR011'): Promise<{ PHYSTO: number; PHYALL: number }> {
  return (await sandbox.api('GET', `ITMMVT('${item}~${site}')?representation=ITMMVT.$details`)).json as {
    PHYSTO: number;
    PHYALL: number;
  };
}

async function orderOf(customer: string, qty: number): Promise<{ order: string; item: string }> {
  const rows = (
    await sandbox.api(
      'GET',
      `ITMMVT?representation=ITMMVT.$query&count=1000&where=${encodeURIComponent("STOFCY eq 'FR011'")}`,
    )
  ).json['$resources'] as {
    ITMREF: string;
    PHYSTO: number;
    PHYALL: number;
  }[];
  const item = rows.find((r) => r.PHYSTO - r.PHYALL >= qty)?.ITMREF as string;
  const reply = await sandbox.api('POST', 'SORDER?representation=SOH.$create', {
    BPCORD: customer,
    SORDERQ: [{ ITMREF: item, QTY: qty }],
  });
  expect(reply.status).toBe(201);
  return { order: reply.json['SOHNUM'] as string, item };
}

describe('deliveries (SDELIVERY)', () => {
  it('delivers what is left of an order; validation issues the stock and completes the order', async () => {
    const { order, item } = await orderOf('C00001', 4);
    const allocated = await stock(item);
    const delivery = await sandbox.api('POST', 'SDELIVERY?representation=SDH.$create', { SOHNUM: order });
    expect(delivery.status).toBe(201);
    expect(delivery.json).toMatchObject({
      SDHNUM: 'SD0000001',
      SOHNUM: order,
      CFMFLG: 1,
      SDELIVERYD: [{ SOPLIN: 1000, ITMREF: item, QTY: 4 }],
    });

    const validated = await sandbox.admin('POST', '/__admin/x3/deliveries/SD0000001/validate');
    expect(validated).toMatchObject({ status: 200, json: { CFMFLG: 2 } });
    const after = await stock(item);
    expect(after.PHYSTO).toBe(allocated.PHYSTO - 4);
    expect(after.PHYALL).toBe(allocated.PHYALL - 4);
    const closed = await sandbox.api('GET', `SORDER('${order}')?representation=SOH.$details`);
    expect(closed.json).toMatchObject({ DLVSTA: 3, ORDSTA: 2, SORDERQ: [{ DLVQTY: 4, ALLQTY: 0 }] });
    expect((await sandbox.admin('POST', '/__admin/x3/deliveries/SD0000001/validate')).status).toBe(400);
  });

  it('delivers part of a line, leaving the order partly delivered', async () => {
    const { order } = await orderOf('C00002', 5);
    await sandbox.api('POST', 'SDELIVERY?representation=SDH.$create', {
      SOHNUM: order,
      SDELIVERYD: [{ SOPLIN: 1000, QTY: 2 }],
    });
    await sandbox.admin('POST', '/__admin/x3/deliveries/SD0000001/validate');
    expect((await sandbox.api('GET', `SORDER('${order}')?representation=SOH.$details`)).json).toMatchObject({
      DLVSTA: 2,
      ORDSTA: 1,
    });
    const tooMuch = await sandbox.api('POST', 'SDELIVERY?representation=SDH.$create', {
      SOHNUM: order,
      SDELIVERYD: [{ SOPLIN: 1000, QTY: 4 }],
    });
    expect(messages(tooMuch)).toEqual(['SDELIVERYD[0].QTY: 4 exceeds the quantity left to deliver (3)']);
  });

  it('refuses to deliver to a customer put on credit hold: "Undeliverable Order: Customer Held"', async () => {
    const { order } = await orderOf('C00003', 1);
    await sandbox.api('PUT', "BPCUSTOMER('C00003')?representation=BPCUSTOMER.$edit", { OSTCTL: 3 });
    const reply = await sandbox.api('POST', 'SDELIVERY?representation=SDH.$create', { SOHNUM: order });
    expect(reply.status).toBe(200);
    expect(messages(reply)).toEqual(['Undeliverable Order: Customer Held']);
    expect(
      messages(await sandbox.api('POST', 'SDELIVERY?representation=SDH.$create', { SOHNUM: 'SO9999999' })),
    ).toEqual(['SOHNUM SO9999999 : Record does not exist']);
  });
});

describe('stock movements (admin)', () => {
  it('applies receipts and issues to ITMMVT and refuses to go below the allocation', async () => {
    const before = await stock('BIK-1001');
    const reply = await sandbox.admin('POST', '/__admin/x3/stock-movements', {
      movements: [
        { ITMREF: 'BIK-1001', STOFCY: 'FR011', QTY: 10 },
        { ITMREF: 'BIK-1001', STOFCY: 'FR011', QTY: -(before.PHYSTO + 10) },
        { ITMREF: 'NOPE', STOFCY: 'FR011', QTY: 1 },
      ],
    });
    expect(reply.json).toEqual({
      applied: 1,
      refused: [
        { index: 1, reason: 'BIK-1001 at FR011: stock cannot fall below the allocated quantity' },
        { index: 2, reason: 'ITMREF NOPE : Record does not exist' },
      ],
    });
    expect((await stock('BIK-1001')).PHYSTO).toBe(before.PHYSTO + 10);
  });

  it('generates 10,000 deterministic movements, each one a change of a stock row', async () => {
    const reply = await sandbox.admin('POST', '/__admin/x3/stock-movements', { generate: 10_000, seed: 5 });
    expect(reply.json).toEqual({ applied: 10_000, refused: [] });
    const rows = (await sandbox.api('GET', 'ITMMVT?representation=ITMMVT.$query&count=1000')).json[
      '$resources'
    ] as { UPDTICK: number }[];
    expect(rows.reduce((sum, r) => sum + r.UPDTICK - 1, 0)).toBe(10_000);
    expect((await sandbox.admin('POST', '/__admin/x3/stock-movements', { generate: 0 })).status).toBe(400);
  });
});
