import { TOPICS, type SalesOrderReply } from '@pardot-x3/canonical';
import { outgoingEvent } from '@pardot-x3/messaging';
import { expectEveryRouteGuarded, waitFor } from '@pardot-x3/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  goldenCustomer,
  opportunityIds,
  orderRequest,
  startX3OrderWriter,
  type X3OrderWriterFixture,
} from './support/x3-order-writer.fixture.js';

interface X3Page {
  $resources: Record<string, unknown>[];
}

/**
 * x3-order-writer on the real broker, registry and PostgreSQL, against the X3 sandbox (a process):
 * order requests become X3 sales orders keyed by the opportunity id, customers are created once with
 * the financial defaults, X3's refusals come back typed, and a request seen again creates nothing.
 */
describe('x3-order-writer: order requests', () => {
  let f: X3OrderWriterFixture;
  /** Products with stock at FR011 (the default shipping site), from the seeded world. */
  let stocked: { productCode: string; available: number }[];

  const replyTo = async (opportunityId: string, count = 1): Promise<SalesOrderReply> => {
    const events = await f.messaging.waitForEvents(
      TOPICS.salesOrderRepliedV1,
      (all) => all.filter((e) => e.value.opportunityId === opportunityId).length >= count,
      { description: `reply ${count} to ${opportunityId}` },
    );
    const mine = events.filter((e) => e.value.opportunityId === opportunityId);
    const last = mine[mine.length - 1];
    if (!last) throw new Error('no reply');
    return last.value;
  };
  const x3Query = async (className: string, representation: string, where: string) =>
    (
      await f.x3Api<X3Page>(
        'GET',
        `${className}?representation=${representation}.$query&count=1000&where=${encodeURIComponent(where)}`,
      )
    ).$resources;

  beforeAll(async () => {
    f = await startX3OrderWriter({
      label: 'x3ow-orders',
      httpPort: 21016,
      x3Port: 21310,
      collect: [TOPICS.salesOrderRepliedV1, TOPICS.customerObservationRecordedV1],
    });
    const rows = await x3Query('ITMMVT', 'ITMMVT', "STOFCY eq 'FR011'");
    stocked = rows
      .map((r) => ({
        productCode: String(r['ITMREF']),
        available: Number(r['PHYSTO']) - Number(r['PHYALL']) - Number(r['GLOALL']),
      }))
      .filter((r) => r.available >= 20 && !r.productCode.startsWith('BIK'));
    expect(stocked.length).toBeGreaterThan(5);
  });

  afterAll(async () => {
    await f?.close();
  });

  it('serves no route without credentials but health and metrics (issue 11)', async () => {
    const routes = await expectEveryRouteGuarded(f.app.nest, `http://127.0.0.1:${f.app.config.PORT}`, []);
    expect(routes.filter((r) => !r.startsWith('GET /health/') && r !== 'GET /metrics')).toEqual([]);
  });

  it('creates the X3 order of a customer the Account names, keyed by the opportunity id, and replies with its number', async () => {
    const [opportunityId = ''] = opportunityIds(1);
    const product = stocked[0]?.productCode ?? '';
    await f.messaging.send(
      TOPICS.salesOrderRequestedV1,
      orderRequest(opportunityId, { x3CustomerCode: 'C00001', salesforceAccountId: '001000000000001AAA' }, [
        { productCode: product, quantity: '2' },
      ]),
    );
    const reply = await replyTo(opportunityId);
    expect(reply).toMatchObject({
      outcome: 'CREATED',
      rejected: null,
      created: {
        opportunityId,
        x3CustomerCode: 'C00001',
        customerCreated: false,
        lines: [{ lineNumber: 1, productCode: product, quantity: '2.0000' }],
      },
    });
    const orders = await x3Query('SORDER', 'SOH', `CUSORDREF eq '${opportunityId}'`);
    expect(orders.map((o) => o['SOHNUM'])).toEqual([reply.created?.orderNumber]);
    expect(orders[0]).toMatchObject({ BPCORD: 'C00001', ORDDAT: '2026-11-20' });
  });

  it('answers an unknown product, a stock shortage and a credit hold with typed rejections naming the line', async () => {
    const [unknown = '', shortage = '', held = ''] = opportunityIds(3);
    const product = stocked[1];
    if (!product) throw new Error('no stocked product');
    await f.messaging.send(
      TOPICS.salesOrderRequestedV1,
      orderRequest(unknown, { x3CustomerCode: 'C00002' }, [
        { productCode: product.productCode, quantity: '1' },
        { productCode: 'NOPE-4711', quantity: '1' },
      ]),
    );
    await f.messaging.send(
      TOPICS.salesOrderRequestedV1,
      orderRequest(shortage, { x3CustomerCode: 'C00002' }, [
        { productCode: product.productCode, quantity: String(product.available + 1000) },
      ]),
    );
    await f.messaging.send(
      TOPICS.salesOrderRequestedV1,
      orderRequest(held, { x3CustomerCode: 'C00004' }, [{ productCode: product.productCode, quantity: '1' }]),
    );
    expect((await replyTo(unknown)).rejected).toMatchObject({
      reason: 'UNKNOWN_PRODUCT',
      lines: [
        { lineNumber: 2, productCode: 'NOPE-4711', reason: 'UNKNOWN_PRODUCT', requestedQuantity: '1.0000' },
      ],
    });
    expect((await replyTo(shortage)).rejected).toMatchObject({
      reason: 'INSUFFICIENT_STOCK',
      lines: [{ lineNumber: 1, productCode: product.productCode, reason: 'INSUFFICIENT_STOCK' }],
    });
    const hold = await replyTo(held);
    expect(hold.rejected).toMatchObject({ reason: 'CREDIT_HOLD', lines: [] });
    expect(hold.rejected?.message).toMatch(/credit hold.*Sage X3: Customer C00004 is on credit hold/s);
    for (const id of [unknown, shortage, held])
      expect(await x3Query('SORDER', 'SOH', `CUSORDREF eq '${id}'`)).toEqual([]);
  });

  it('creates a missing customer once, with the financial defaults of its country, for concurrent orders of one Account', async () => {
    const run = Math.random().toString(36).slice(2, 8);
    const account = `001${run.toUpperCase()}000000AAA`.slice(0, 18);
    const name = `Norden Tools ${run}`;
    const ids = opportunityIds(12);
    const product = stocked[2]?.productCode ?? '';
    // One batch whose keys spread over the partitions: the orders of one Account are handled at the same time.
    await f.messaging.messaging.producer.sendAll(
      ids.map((id) =>
        outgoingEvent(
          TOPICS.salesOrderRequestedV1,
          orderRequest(
            id,
            {
              salesforceAccountId: account,
              companyName: name,
              billingAddress: {
                line1: 'Kungsgatan 4',
                line2: null,
                city: 'Stockholm',
                postalCode: '111 43',
                region: null,
                countryCode: 'GB',
              },
            },
            [{ productCode: product, quantity: '1' }],
          ),
        ),
      ),
    );
    const all = await Promise.all(ids.map((id) => replyTo(id)));
    const customers = await x3Query('BPCUSTOMER', 'BPCUSTOMER', `BPCNAM eq '${name}'`);
    expect(customers).toHaveLength(1);
    const code = customers[0]?.['BPCNUM'];
    // The configured defaults, with the overrides for GB (config/x3-customer-defaults.yaml).
    expect(customers[0]).toMatchObject({ BCGCOD: 'STD', CUR: 'GBP', PTE: '30NET', VACBPR: 'GBR', CRY: 'GB' });
    expect(all.map((r) => [r.outcome, r.created?.x3CustomerCode])).toEqual(ids.map(() => ['CREATED', code]));
    expect(all.filter((r) => r.created?.customerCreated)).toHaveLength(1);
    // mdm learns of the customer once, linked to the Account.
    const observations = await f.messaging.waitForEvents(TOPICS.customerObservationRecordedV1, (events) =>
      events.some((e) => e.value.sourceId === code),
    );
    expect(observations.filter((e) => e.value.sourceId === code).map((e) => e.value)).toEqual([
      expect.objectContaining({
        sourceSystem: 'X3',
        sourceEntity: 'BPCUSTOMER',
        customerCode: code,
        companyName: name,
        links: [{ system: 'SALESFORCE', entity: 'Account', id: account }],
      }),
    ]);
  });

  it('creates nothing new when the same requests come again: the orders and the customer are found', async () => {
    const run = Math.random().toString(36).slice(2, 8);
    const account = `001${run.toUpperCase()}111111AAA`.slice(0, 18);
    const ids = opportunityIds(3);
    const product = stocked[3]?.productCode ?? '';
    const requests = ids.map((id) =>
      orderRequest(id, { salesforceAccountId: account, companyName: `Once Only ${run}` }, [
        { productCode: product, quantity: '1' },
      ]),
    );
    for (const request of requests) await f.messaging.send(TOPICS.salesOrderRequestedV1, request);
    const first = await Promise.all(ids.map((id) => replyTo(id, 1)));
    for (const request of requests) await f.messaging.send(TOPICS.salesOrderRequestedV1, request);
    const second = await Promise.all(ids.map((id) => replyTo(id, 2)));
    expect(second.map((r) => r.created?.orderNumber)).toEqual(first.map((r) => r.created?.orderNumber));
    expect(second.every((r) => r.created?.customerCreated === false)).toBe(true);
    for (const id of ids) expect(await x3Query('SORDER', 'SOH', `CUSORDREF eq '${id}'`)).toHaveLength(1);
    expect(await x3Query('BPCUSTOMER', 'BPCUSTOMER', `BPCNAM eq 'Once Only ${run}'`)).toHaveLength(1);
  });

  it('uses the X3 customer cross-referenced to the golden customer of the Account', async () => {
    const [opportunityId = ''] = opportunityIds(1);
    const account = '001GOLDEN00000001A';
    await f.messaging.send(
      TOPICS.customerGoldenRecordMasteredV1,
      goldenCustomer('golden-order-test', 1, {
        salesforceAccountIds: [account],
        x3CustomerCodes: ['C00003'],
      }),
    );
    // The golden record is read by another consumer group: wait until the directory has it.
    const dataSource = f.app.nest.get(DataSource);
    await waitFor(
      async () =>
        (
          (await dataSource.query('SELECT 1 FROM x3_order_writer_golden_customer WHERE golden_id = $1', [
            'golden-order-test',
          ])) as unknown[]
        ).length === 1,
      { description: 'the golden customer in the directory' },
    );
    await f.messaging.send(
      TOPICS.salesOrderRequestedV1,
      orderRequest(opportunityId, { salesforceAccountId: account, companyName: 'Golden Account' }, [
        { productCode: stocked[4]?.productCode ?? '', quantity: '1' },
      ]),
    );
    const reply = await replyTo(opportunityId);
    expect(reply.created?.x3CustomerCode).toBe('C00003');
    expect(await x3Query('BPCUSTOMER', 'BPCUSTOMER', "BPCNAM eq 'Golden Account'")).toEqual([]);
  });

  it('adopts an identical customer already in X3 instead of creating a second one (a crash after the creation)', async () => {
    const run = Math.random().toString(36).slice(2, 8);
    const name = `Adopted ${run}`;
    const created = await f.x3Api<Record<string, unknown>>(
      'POST',
      'BPCUSTOMER?representation=BPCUSTOMER.$create',
      {
        BPCNAM: name,
        CRY: 'FR',
      },
    );
    const [opportunityId = ''] = opportunityIds(1);
    await f.messaging.send(
      TOPICS.salesOrderRequestedV1,
      orderRequest(
        opportunityId,
        {
          salesforceAccountId: `001ADOPT${run}`.padEnd(18, 'A').slice(0, 18),
          companyName: name,
          billingAddress: {
            line1: null,
            line2: null,
            city: null,
            postalCode: null,
            region: null,
            countryCode: 'FR',
          },
        },
        [{ productCode: stocked[5]?.productCode ?? '', quantity: '1' }],
      ),
    );
    expect((await replyTo(opportunityId)).created?.x3CustomerCode).toBe(created['BPCNUM']);
    expect(await x3Query('BPCUSTOMER', 'BPCUSTOMER', `BPCNAM eq '${name}'`)).toHaveLength(1);
  });
});
