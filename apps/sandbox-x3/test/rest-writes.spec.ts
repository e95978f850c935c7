import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { X3Sandbox, messages, type X3Reply } from './x3-sandbox.harness.js';

const sandbox = new X3Sandbox(15301);
const CREATE_ORDER = 'SORDER?representation=SOH.$create';

beforeAll(async () => {
  await sandbox.start();
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  await sandbox.admin('POST', '/__admin/reset');
});

async function stock(
  item: string,
  site = 'FR011',
): Promise<{ PHYSTO: number; PHYALL: number; GLOALL: number; available: number }> {
  const json = (await sandbox.api('GET', `ITMMVT('${item}~${site}')?representation=ITMMVT.$details`))
    .json as { PHYSTO: number; PHYALL: number; GLOALL: number };
  return { ...json, available: json.PHYSTO - json.PHYALL - json.GLOALL };
}

/** A product with at least `qty` available at FR011. */
async function productWithStock(qty: number): Promise<string> {
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
  const row = rows.find((r) => r.PHYSTO - r.PHYALL >= qty);
  if (!row) throw new Error('no product with enough stock in the seeded world');
  return row.ITMREF;
}

const businessErrors = (reply: X3Reply): string[] => {
  expect(reply.status).toBe(200);
  return messages(reply);
};

describe('customers (BPCUSTOMER)', () => {
  it('creates a customer (201, Location, $details body) and refuses a duplicate code in $diagnoses', async () => {
    const created = await sandbox.api('POST', 'BPCUSTOMER?representation=BPCUSTOMER.$create', {
      BPCNUM: 'C90001',
      BPCNAM: 'Harbor Rentals',
      CRY: 'FR',
      WEB: 'ops@harbor.example',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(
      `${sandbox.baseUrl}/api1/x3/erp/SEED/BPCUSTOMER('C90001')?representation=BPCUSTOMER.$details`,
    );
    expect(created.json).toMatchObject({
      BPCNUM: 'C90001',
      BPCNAM: 'Harbor Rentals',
      OSTCTL: 2,
      BPCSTA: 2,
      UPDTICK: 1,
      CREUSR: 'px3',
    });
    const duplicate = await sandbox.api('POST', 'BPCUSTOMER?representation=BPCUSTOMER.$create', {
      BPCNUM: 'C90001',
      BPCNAM: 'Again',
    });
    expect(businessErrors(duplicate)).toEqual(['BPCNUM C90001 : Record already exists']);
  });

  it('numbers a customer when no code is given and reports every problem at once', async () => {
    const numbered = await sandbox.api('POST', 'BPCUSTOMER?representation=BPCUSTOMER.$create', {
      BPCNAM: 'Auto Numbered',
    });
    expect(numbered.json['BPCNUM']).toBe('C00021');
    const bad = await sandbox.api('POST', 'BPCUSTOMER?representation=BPCUSTOMER.$create', {
      OSTCTL: 9,
      CRY: 'France',
      OSTAUZ: 'lots',
    });
    expect(businessErrors(bad)).toEqual(
      expect.arrayContaining([
        'BPCNAM: Mandatory field',
        'OSTCTL: 1 (No check), 2 (Check) or 3 (Hold) expected',
        'CRY: a 2-letter country code is expected',
        'OSTAUZ: a number is expected',
      ]),
    );
  });

  it('$edit: PUT changes only the properties sent; UPDDATTIM and UPDTICK advance on every change', async () => {
    const url = "BPCUSTOMER('C00002')?representation=BPCUSTOMER.$edit";
    const before = (await sandbox.api('GET', url)).json;
    const first = await sandbox.api('PUT', url, { TEL: '+44 20 7946 0000' });
    const second = await sandbox.api('PUT', url, { CNTNAM: 'New Buyer' });
    expect(first.status).toBe(200);
    expect(second.json).toMatchObject({
      TEL: '+44 20 7946 0000',
      CNTNAM: 'New Buyer',
      BPCNAM: before['BPCNAM'],
      UPDTICK: 3,
      UPDUSR: 'px3',
    });
    const stamps = [before['UPDDATTIM'], first.json['UPDDATTIM'], second.json['UPDDATTIM']] as string[];
    expect(new Set(stamps).size).toBe(3);
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('$edit refuses a stale If-Match (412), read-only properties ($diagnoses) and unknown ones (400)', async () => {
    const url = "BPCUSTOMER('C00002')?representation=BPCUSTOMER.$edit";
    const etag = (await sandbox.api('GET', url)).json['$etag'] as string;
    await sandbox.api('PUT', url, { TEL: '1' });
    expect((await sandbox.api('PUT', url, { TEL: '2' }, { 'if-match': etag })).status).toBe(412);
    expect(businessErrors(await sandbox.api('PUT', url, { BPCNUM: 'C77777' }))).toEqual([
      'BPCNUM: this property cannot be modified',
    ]);
    const unknown = await sandbox.api('PUT', url, { BPCGRP: 'A' });
    expect(unknown.status).toBe(400);
    expect(messages(unknown)).toEqual(['BPCGRP is not a property of representation BPCUSTOMER']);
    expect(
      businessErrors(
        await sandbox.api('PUT', "BPCUSTOMER('C99999')?representation=BPCUSTOMER.$edit", { TEL: '1' }),
      ),
    ).toEqual(['721 : Record does not exist']);
  });

  it('$edit writes the specific engagement fields of the integration setup (YENGSCORE, YLASTENGDAT)', async () => {
    const url = "BPCUSTOMER('C00002')?representation=BPCUSTOMER.$edit";
    const edited = await sandbox.api('PUT', url, { YENGSCORE: '42.5', YLASTENGDAT: '2026-11-20' });
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({ YENGSCORE: 42.5, YLASTENGDAT: '2026-11-20' });
    expect(businessErrors(await sandbox.api('PUT', url, { YLASTENGDAT: 'yesterday' }))).toEqual([
      'YLASTENGDAT: a date YYYY-MM-DD is expected',
    ]);
  });

  it('rejects a body that is not JSON (400)', async () => {
    const reply = await sandbox.api('POST', 'BPCUSTOMER?representation=BPCUSTOMER.$create', '{"BPCNAM": ');
    expect(reply.status).toBe(400);
    expect(messages(reply)).toEqual(['The request body is not valid JSON']);
  });
});

describe('products (ITMMASTER)', () => {
  it('creates and edits a product', async () => {
    const created = await sandbox.api('POST', 'ITMMASTER?representation=ITMMASTER.$create', {
      ITMREF: 'NEW-0001',
      ITMDES1: 'New Saddle',
      BASPRI: 49.9,
    });
    expect(created).toMatchObject({ status: 201, json: { ITMREF: 'NEW-0001', ITMSTA: 1, SAU: 'UN' } });
    const edited = await sandbox.api('PUT', "ITMMASTER('NEW-0001')?representation=ITMMASTER.$edit", {
      ITMDES1: 'Comfort Saddle',
    });
    expect(edited.json).toMatchObject({ ITMDES1: 'Comfort Saddle', BASPRI: 49.9 });
  });
});

describe('sales orders (SORDER)', () => {
  it('creates an order with lines and allocates its quantities', async () => {
    const item = await productWithStock(3);
    const before = await stock(item);
    const reply = await sandbox.api('POST', CREATE_ORDER, {
      BPCORD: 'C00001',
      CUSORDREF: 'OPP-0001',
      SORDERQ: [{ ITMREF: item, QTY: 3 }],
    });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({
      SOHNUM: 'SO0000001',
      BPCORD: 'C00001',
      STOFCY: 'FR011',
      CUSORDREF: 'OPP-0001',
      ORDSTA: 1,
      ALLSTA: 3,
      DLVSTA: 1,
      SORDERQ: [{ SOPLIN: 1000, ITMREF: item, QTY: 3, ALLQTY: 3, DLVQTY: 0, $uuid: expect.any(String) }],
    });
    const after = await stock(item);
    expect(after.PHYALL).toBe(before.PHYALL + 3);
    expect(after.available).toBe(before.available - 3);
    const read = await sandbox.api('GET', "SORDER('SO0000001')?representation=SOH.$details");
    expect((read.json['SORDERQ'] as unknown[]).length).toBe(1);
  });

  it('refuses an order for a customer on credit hold (OSTCTL 3)', async () => {
    const item = await productWithStock(1);
    const hold = await sandbox.api('GET', "BPCUSTOMER('C00004')?representation=BPCUSTOMER.$details");
    expect(hold.json['OSTCTL']).toBe(3);
    const reply = await sandbox.api('POST', CREATE_ORDER, {
      BPCORD: 'C00004',
      SORDERQ: [{ ITMREF: item, QTY: 1 }],
    });
    expect(businessErrors(reply)).toEqual(['Customer C00004 is on credit hold: order entry blocked']);
    expect((await sandbox.api('GET', 'SORDER?representation=SOH.$query')).json['$totalResults']).toBe(0);
  });

  it('refuses an order beyond the authorised credit when credit control is Check', async () => {
    const item = await productWithStock(2);
    await sandbox.api('PUT', "BPCUSTOMER('C00001')?representation=BPCUSTOMER.$edit", {
      OSTAUZ: 10,
      OSTCTL: 2,
    });
    const reply = await sandbox.api('POST', CREATE_ORDER, {
      BPCORD: 'C00001',
      SORDERQ: [{ ITMREF: item, QTY: 2, GROPRI: 100 }],
    });
    expect(businessErrors(reply)).toEqual([
      'Customer C00001: authorised credit exceeded (authorised 10, outstanding 0, this order 200)',
    ]);
    await sandbox.api('PUT', "BPCUSTOMER('C00001')?representation=BPCUSTOMER.$edit", { OSTCTL: 1 });
    expect(
      (
        await sandbox.api('POST', CREATE_ORDER, {
          BPCORD: 'C00001',
          SORDERQ: [{ ITMREF: item, QTY: 2, GROPRI: 100 }],
        })
      ).status,
    ).toBe(201);
  });

  it('refuses unknown products, unknown customers and quantities beyond the available stock, all at once, saving nothing', async () => {
    const item = await productWithStock(1);
    const { available } = await stock(item);
    const reply = await sandbox.api('POST', CREATE_ORDER, {
      BPCORD: 'C09999',
      SORDERQ: [
        { ITMREF: 'NOPE-0001', QTY: 1 },
        { ITMREF: item, QTY: available + 1 },
      ],
    });
    expect(businessErrors(reply)).toEqual([
      'BPCORD C09999 : Record does not exist',
      'ITMREF NOPE-0001 : Record does not exist',
      `ITMREF ${item}: Insufficient stock at site FR011 (available ${available}, requested ${available + 1})`,
    ]);
    expect((await stock(item)).available).toBe(available);
  });

  it('needs a customer and lines (Mandatory field), and lets $edit change only the reference and dates', async () => {
    expect(businessErrors(await sandbox.api('POST', CREATE_ORDER, {}))).toEqual([
      'BPCORD: Mandatory field',
      'SORDERQ: an order needs at least one line',
    ]);
    const item = await productWithStock(1);
    await sandbox.api('POST', CREATE_ORDER, { BPCORD: 'C00001', SORDERQ: [{ ITMREF: item, QTY: 1 }] });
    const edited = await sandbox.api('PUT', "SORDER('SO0000001')?representation=SOH.$edit", {
      CUSORDREF: 'PO-77',
      DEMDLVDAT: '2026-12-24',
    });
    expect(edited.json).toMatchObject({ CUSORDREF: 'PO-77', DEMDLVDAT: '2026-12-24', UPDTICK: 2 });
    expect(
      businessErrors(
        await sandbox.api('PUT', "SORDER('SO0000001')?representation=SOH.$edit", { STOFCY: 'US011' }),
      ),
    ).toEqual(['STOFCY: cannot be modified once the order is entered']);
  });
});

describe('business error status', () => {
  const strict = new X3Sandbox(15302, { X3_BUSINESS_ERROR_STATUS: '422' });
  beforeAll(async () => {
    await strict.start();
  });
  afterAll(async () => {
    await strict.stop();
  });

  it('is configurable (X3_BUSINESS_ERROR_STATUS) for clients that want a 4xx', async () => {
    const reply = await strict.api('GET', "BPCUSTOMER('C99999')?representation=BPCUSTOMER.$details");
    expect(reply.status).toBe(422);
    expect(messages(reply)).toEqual(['721 : Record does not exist']);
  });
});
