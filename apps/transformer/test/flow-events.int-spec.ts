import { fileURLToPath } from 'node:url';
import { CONSUMER_GROUPS, TOPICS, type SourceRecordChanged } from '@pardot-x3/canonical';
import { TestMessaging } from '@pardot-x3/flow-testing';
import { createServiceApp, type ServiceApp } from '@pardot-x3/service-runtime';
import { expectEveryRouteGuarded, waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { transformerConfigSchema, type TransformerConfig } from '../src/transformer.config.js';

const CONFIG_DIR = fileURLToPath(new URL('../../../config/', import.meta.url));
const PORT = 21013;

function source(
  system: SourceRecordChanged['system'],
  entity: string,
  recordId: string,
  fields: SourceRecordChanged['fields'],
  extra: Partial<SourceRecordChanged> = {},
): SourceRecordChanged {
  return {
    system,
    sourceInstance: null,
    entity,
    recordId,
    changeType: 'UPDATED',
    changedAt: new Date('2026-11-20T14:05:09Z'),
    via: 'CDC',
    changedFields: [],
    fields,
    lines: [],
    origin: null,
    ...extra,
  };
}

function opportunity(
  id: string,
  fields: SourceRecordChanged['fields'] = {},
  extra: Partial<SourceRecordChanged> = {},
) {
  return source(
    'SALESFORCE',
    'Opportunity',
    id,
    {
      Id: id,
      Name: 'Line 3 retrofit',
      StageName: 'Closed Won',
      CloseDate: '2026-11-20',
      Amount: 3690,
      AccountId: '0015g00000Kq7RzAAJ',
      LastModifiedDate: '2026-11-20T14:05:09.000+0000',
      'Account.Name': 'Acme Industrie SARL',
      'Account.X3_Customer_Code__c': 'c00001',
      'Account.BillingCountry': 'France',
      ...fields,
    },
    {
      lines: [
        {
          entity: 'OpportunityLineItem',
          recordId: `00k${id.slice(3)}`,
          fields: {
            'Product2.ProductCode': 'bms-400',
            'Product2.Name': 'Bearing module',
            Quantity: 2,
            UnitPrice: 1845,
          },
        },
      ],
      ...extra,
    },
  );
}

/**
 * The transformer's order, ERP-event, inventory and engagement use cases on the real broker and
 * registry: source events in, canonical events out, and what must not become an event stays out.
 */
describe('transformer: orders, ERP events, stock and engagement', () => {
  let messaging: TestMessaging;
  let app: ServiceApp<TransformerConfig>;

  beforeAll(async () => {
    messaging = await TestMessaging.start({
      label: 'transformer-flows',
      topics: [
        TOPICS.salesforceOpportunityChangedV1,
        TOPICS.x3SalesOrderChangedV1,
        TOPICS.x3DeliveryChangedV1,
        TOPICS.x3InvoiceChangedV1,
        TOPICS.x3StockChangedV1,
        TOPICS.pardotVisitorActivityRecordedV1,
        // the customer use case of the same service needs its topics too
        TOPICS.x3CustomerChangedV1,
        TOPICS.salesforceLeadChangedV1,
        TOPICS.salesforceContactChangedV1,
        TOPICS.salesforceAccountChangedV1,
        TOPICS.pardotProspectChangedV1,
        TOPICS.customerObservationRecordedV1,
      ],
      groups: [
        CONSUMER_GROUPS.transformerSalesOrders,
        CONSUMER_GROUPS.transformerErpEvents,
        CONSUMER_GROUPS.transformerInventory,
        CONSUMER_GROUPS.transformerEngagement,
        CONSUMER_GROUPS.transformerCustomerSources,
      ],
      collect: [
        TOPICS.salesOrderRequestedV1,
        TOPICS.salesOrderCreatedV1,
        TOPICS.salesShipmentValidatedV1,
        TOPICS.salesInvoicePostedV1,
        TOPICS.inventoryStockLevelChangedV1,
        TOPICS.engagementActivityRecordedV1,
      ],
    });
    app = await createServiceApp({
      service: 'transformer',
      configSchema: transformerConfigSchema,
      module: (config) => AppModule.register(config),
      env: messaging.serviceEnv(PORT, { PX3_CONFIG_DIR: CONFIG_DIR }),
    });
    await app.listen();
  });

  afterAll(async () => {
    await app?.shutdown('test end');
    await messaging?.close();
  });

  it('serves no route without credentials but health and metrics (issue 11)', async () => {
    const routes = await expectEveryRouteGuarded(app.nest, `http://127.0.0.1:${PORT}`, []);
    expect(routes.filter((r) => !r.startsWith('GET /health/') && r !== 'GET /metrics')).toEqual([]);
  });

  it("requests the order of a Closed Won opportunity with its lines and the Account's X3 customer", async () => {
    await messaging.send(TOPICS.salesforceOpportunityChangedV1, opportunity('006000000000WON01A'));
    const [request] = await messaging.waitForEvents(TOPICS.salesOrderRequestedV1, (e) => e.length >= 1);
    expect(request?.key).toBe('006000000000WON01A');
    expect(request?.value).toMatchObject({
      opportunityId: '006000000000WON01A',
      customer: {
        x3CustomerCode: 'C00001',
        salesforceAccountId: '0015g00000Kq7RzAAJ',
        companyName: 'Acme Industrie SARL',
        billingAddress: { countryCode: 'FR' },
      },
      currencyCode: 'EUR',
      customerOrderReference: null,
      lines: [
        {
          lineNumber: 1,
          sourceLineId: '00k000000000WON01A',
          productCode: 'BMS-400',
          quantity: '2.0000',
          unitPrice: '1845.0000',
        },
      ],
      totalAmount: { amount: '3690.0000', currencyCode: 'EUR' },
    });
  });

  it('requests nothing for an opportunity not won, one already ordered, or our own write-back of the outcome', async () => {
    // Each refusal is followed by an eligible change of the same opportunity (same key, same partition,
    // handled in order): one request per key proves the first change made none.
    const cases: [string, SourceRecordChanged][] = [
      ['006000000000OPEN1A', opportunity('006000000000OPEN1A', { StageName: 'Negotiation' })],
      ['006000000000DONE1A', opportunity('006000000000DONE1A', { X3_Order_Number__c: 'SO0000001' })],
      [
        '006000000000ECHO1A',
        opportunity(
          '006000000000ECHO1A',
          { X3_Order_Status__c: 'Rejected' },
          { changedFields: ['X3_Order_Status__c', 'X3_Order_Message__c'] },
        ),
      ],
    ];
    for (const [id, refused] of cases) {
      await messaging.send(TOPICS.salesforceOpportunityChangedV1, refused);
      await messaging.send(TOPICS.salesforceOpportunityChangedV1, opportunity(id));
    }
    const ids = cases.map(([id]) => id);
    const events = await messaging.waitForEvents(TOPICS.salesOrderRequestedV1, (all) =>
      ids.every((id) => all.some((e) => e.key === id)),
    );
    for (const id of ids) expect(events.filter((e) => e.key === id)).toHaveLength(1);
  });

  it('turns a validated X3 delivery into a Shipment, and an X3 order into SalesOrderCreated; not a delivery still open', async () => {
    const delivery = (id: string, validated: boolean) =>
      source(
        'X3',
        'SDELIVERY',
        id,
        {
          SDHNUM: id,
          SOHNUM: 'SO0000042',
          BPCORD: 'C00001',
          STOFCY: 'FR011',
          DLVDAT: '2026-11-24',
          CFMFLG: validated ? 2 : 1,
          UPDDATTIM: '2026-11-24T09:30:00Z',
        },
        {
          lines: [
            { entity: 'SDELIVERYD', recordId: '1000', fields: { SOPLIN: 1000, ITMREF: 'BMS-400', QTY: 12 } },
          ],
        },
      );
    await messaging.send(TOPICS.x3DeliveryChangedV1, delivery('SD0000001', false));
    await messaging.send(TOPICS.x3DeliveryChangedV1, delivery('SD0000002', true));
    await messaging.send(
      TOPICS.x3SalesOrderChangedV1,
      source(
        'X3',
        'SORDER',
        'SO0000042',
        {
          SOHNUM: 'SO0000042',
          BPCORD: 'C00001',
          CUSORDREF: '006000000000WON01A',
          ORDDAT: '2026-11-20',
          CREDATTIM: '2026-11-20T14:05:12Z',
          SALFCY: 'FR011',
          ORDNOT: 3690,
          CUR: 'EUR',
        },
        {
          changeType: 'CREATED',
          lines: [
            {
              entity: 'SORDERQ',
              recordId: '1000',
              fields: { SOPLIN: 1000, ITMREF: 'BMS-400', QTY: 2, GROPRI: 1845 },
            },
          ],
        },
      ),
    );
    const [shipment] = await messaging.waitForEvents(TOPICS.salesShipmentValidatedV1, (e) => e.length >= 1);
    expect(shipment?.value).toMatchObject({
      deliveryNumber: 'SD0000002',
      orderNumber: 'SO0000042',
      x3CustomerCode: 'C00001',
      validatedAt: new Date('2026-11-24T09:30:00Z'),
      lines: [{ lineNumber: 1, productCode: 'BMS-400', quantity: '12.0000' }],
    });
    const [order] = await messaging.waitForEvents(TOPICS.salesOrderCreatedV1, (e) => e.length >= 1);
    expect(order?.value).toMatchObject({
      orderNumber: 'SO0000042',
      opportunityId: '006000000000WON01A',
      totalAmount: { amount: '3690.0000', currencyCode: 'EUR' },
    });
    expect(messaging.events(TOPICS.salesShipmentValidatedV1).map((e) => e.key)).toEqual(['SD0000002']);
  });

  it('publishes every X3 stock total as the latest level of its product and site, available stock computed', async () => {
    const stock = (qty: number, at: string, tick?: number) =>
      source('X3', 'ITMMVT', 'BMS-400~FR011', {
        ITMREF: 'BMS-400',
        STOFCY: 'FR011',
        PHYSTO: qty,
        PHYALL: 12,
        GLOALL: 3,
        UPDDATTIM: at,
        ...(tick === undefined ? {} : { UPDTICK: tick }),
      });
    await messaging.send(TOPICS.x3StockChangedV1, stock(140, '2026-11-20T14:05:12Z'));
    await messaging.send(TOPICS.x3StockChangedV1, stock(138, '2026-11-20T14:06:12Z', 418));
    const levels = await messaging.waitForEvents(TOPICS.inventoryStockLevelChangedV1, (e) => e.length >= 2);
    expect(
      levels.map((e) => [e.key, e.value.availableStock, e.value.allocatedStock, e.value.sourceSequence]),
    ).toEqual([
      ['BMS-400:FR011', '125.0000', '15.0000', null],
      ['BMS-400:FR011', '123.0000', '15.0000', 418],
    ]);
  });

  it('turns Pardot visitor activities into engagement activities', async () => {
    await messaging.send(
      TOPICS.pardotVisitorActivityRecordedV1,
      source('PARDOT', 'VisitorActivity', '1042', {
        id: 1042,
        prospectId: 100001,
        type: 24,
        typeName: 'Attended Webinar',
        createdAt: '2026-11-18T15:42:10+00:00',
      }),
    );
    const [activity] = await messaging.waitForEvents(
      TOPICS.engagementActivityRecordedV1,
      (e) => e.length >= 1,
    );
    expect(activity?.value).toEqual({
      activityId: '1042',
      prospectId: '100001',
      kind: 'EVENT_ATTENDANCE',
      sourceType: 24,
      sourceTypeName: 'Attended Webinar',
      occurredAt: new Date('2026-11-18T15:42:10Z'),
      campaignId: null,
      details: null,
    });
  });

  it('parks a won opportunity whose data cannot make an order in the dead-letter topic, with the reason', async () => {
    await messaging.send(
      TOPICS.salesforceOpportunityChangedV1,
      opportunity(
        '006000000000BAD01A',
        {},
        {
          lines: [
            {
              entity: 'OpportunityLineItem',
              recordId: '00kBAD',
              fields: { ProductCode: 'BMS-400', Quantity: 'twelve', UnitPrice: 1 },
            },
          ],
        },
      ),
    );
    const inspector = await messaging.messaging.deadLetterInspector();
    const [parked, ...others] = await waitFor(
      async () => {
        const found = await inspector.read(CONSUMER_GROUPS.transformerSalesOrders.name);
        return found.length >= 1 ? found : undefined;
      },
      { description: 'the dead-lettered opportunity on transformer.sales-orders.dlq' },
    );
    expect(others).toEqual([]);
    expect(parked?.envelope.key?.toString()).toBe('006000000000BAD01A');
    expect(parked?.envelope.reason).toBe('NON_RETRIABLE_ERROR');
    expect(parked?.envelope.errorMessage).toBe(
      'Opportunity 006000000000BAD01A cannot make an X3 order: ' +
        'lines[0].quantity: "twelve" (from Quantity) is not a number (opportunity-to-sales-order-request@2)',
    );
    // Nothing was requested for it.
    expect(
      messaging.events(TOPICS.salesOrderRequestedV1).filter((e) => e.key === '006000000000BAD01A'),
    ).toEqual([]);
  });
});
