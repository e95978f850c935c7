import { readFileSync } from 'node:fs';
import { createAvroType, TOPICS } from '@pardot-x3/canonical';
import { parseMappingTemplate } from '@pardot-x3/mapping';
import { describe, expect, it } from 'vitest';
import { orderRequestOfOpportunity } from './order-request/opportunity-order-request.js';
import { buildSalesOrderRequest } from './order-request/sales-order-request.builder.js';
import { toSalesOrderRequested } from './order-request/sales-order-requested.converter.js';
import { parseSalesOrderPolicy } from './policy/sales-order-policy.parser.js';
import { salesOrderRejectedFrom } from './rejections/sales-order-rejected.builder.js';
import { x3SalesOrderFromRequest } from './x3-order/x3-sales-order.builder.js';

const CONFIG = new URL('../../../../config/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, CONFIG), 'utf8');
const policy = parseSalesOrderPolicy(read('sales-orders.yaml'), 'config/sales-orders.yaml');
const template = parseMappingTemplate(
  read('mappings/opportunity-to-sales-order-request.yaml'),
  'opportunity-to-sales-order-request.yaml',
);
const opportunity = JSON.parse(
  read('mappings/samples/opportunity-to-sales-order-request.sample.json'),
) as Record<string, unknown>;

function requestOf(source: Record<string, unknown>) {
  const outcome = buildSalesOrderRequest(source, template, policy.eligibility);
  if (outcome.outcome !== 'request') throw new Error(JSON.stringify(outcome));
  return outcome.request;
}

describe('the canonical order request', () => {
  it('carries the customer to find or create, the lines and the amount, and passes the registered schema', () => {
    const result = toSalesOrderRequested(
      requestOf({
        ...opportunity,
        Account: { ...(opportunity['Account'] as object), X3_Customer_Code__c: 'c00001' },
      }),
    );
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.value).toMatchObject({
      opportunityId: '0065g00000QwErTAAZ',
      opportunityName: 'Acme Industrie - Line 3 retrofit',
      closedAt: new Date('2026-11-20T14:05:09Z'),
      customer: {
        x3CustomerCode: 'C00001',
        salesforceAccountId: '0015g00000Kq7RzAAJ',
        companyName: 'Acme Industrie SARL',
        billingAddress: { line1: '12 rue de la Paix', city: 'Paris', postalCode: '75002', countryCode: 'FR' },
      },
      currencyCode: 'EUR',
      customerOrderReference: null,
      lines: [
        {
          lineNumber: 1,
          sourceLineId: '00k5g00000Ln1AAAQ',
          productCode: 'BMS-400',
          quantity: '12',
          unitPrice: '1845',
        },
        { lineNumber: 2, productCode: 'SVC-INSTALL', quantity: '2.5', unitPrice: '1440' },
      ],
      totalAmount: { amount: '25740', currencyCode: 'EUR' },
    });
    expect(createAvroType(TOPICS.salesOrderRequestedV1.value.json).isValid(result.value)).toBe(true);
  });

  it('totals the lines exactly when the opportunity has no amount', () => {
    const result = toSalesOrderRequested(requestOf({ ...opportunity, Amount: null }));
    expect(result.ok && result.value.totalAmount).toEqual({ amount: '25740', currencyCode: 'EUR' });
  });

  it('uses the corporate currency of an org without multi-currency', () => {
    const { CurrencyIsoCode: _omitted, ...single } = opportunity;
    const result = toSalesOrderRequested(requestOf(single));
    expect(result.ok && result.value.currencyCode).toBe('EUR');
  });

  it('does not order again an opportunity that already carries its X3 order number', () => {
    const outcome = buildSalesOrderRequest(
      { ...opportunity, X3_Order_Number__c: 'SO0000042' },
      template,
      policy.eligibility,
    );
    expect(outcome).toMatchObject({
      outcome: 'not-eligible',
      reasons: ['X3_Order_Number__c is "SO0000042"'],
    });
  });
});

describe('the X3 sales order of a request', () => {
  it('is sold to the customer, keyed by the opportunity id, dated the day it was won, one line per product', () => {
    const requested = toSalesOrderRequested(requestOf(opportunity));
    if (!requested.ok) throw new Error(requested.problems.join('\n'));
    expect(x3SalesOrderFromRequest(requested.value, 'C00001', { defaultSalesSite: 'FR011' })).toEqual({
      customerOrderReference: '0065g00000QwErTAAZ',
      header: { BPCORD: 'C00001', ORDDAT: '2026-11-20', SALFCY: 'FR011' },
      lines: [
        { ITMREF: 'BMS-400', QTY: 12, GROPRI: 1845 },
        { ITMREF: 'SVC-INSTALL', QTY: 2.5, GROPRI: 1440 },
      ],
    });
  });

  it('sends the custom fields the template maps, by X3 field name', () => {
    const requested = toSalesOrderRequested({ ...requestOf(opportunity), customFields: { YPONUM: 'PO-42' } });
    if (!requested.ok) throw new Error(requested.problems.join('\n'));
    expect(x3SalesOrderFromRequest(requested.value, 'C00001').header).toMatchObject({ YPONUM: 'PO-42' });
  });
});

describe('the typed rejection of an order X3 refused', () => {
  const lines = [
    { lineNumber: 1, productCode: 'BMS-400', quantity: '12' },
    { lineNumber: 2, productCode: 'NOPE-1', quantity: '1' },
  ];
  const rejectedAt = new Date('2026-11-26T10:00:00Z');

  it("names the refused line and the reason, in the sales rep's words followed by X3's", () => {
    const rejected = salesOrderRejectedFrom({
      opportunityId: '006A',
      diagnoses: [{ severity: 'error', message: 'ITMREF NOPE-1 : Record does not exist' }],
      patterns: policy.rejections,
      lines,
      rejectedAt,
    });
    expect(rejected).toEqual({
      opportunityId: '006A',
      reason: 'UNKNOWN_PRODUCT',
      message:
        'Sage X3 does not know the product code NOPE-1. Correct the product on the opportunity line (Product2 product code) or have the item created in X3, then send the order again. (Sage X3: ITMREF NOPE-1 : Record does not exist)',
      lines: [
        {
          lineNumber: 2,
          productCode: 'NOPE-1',
          reason: 'UNKNOWN_PRODUCT',
          message: 'ITMREF NOPE-1 : Record does not exist',
          requestedQuantity: '1',
          availableQuantity: null,
        },
      ],
      rejectedAt,
    });
  });

  it("reads the X3 sandbox's stock shortage and credit hold messages", () => {
    const stock = salesOrderRejectedFrom({
      opportunityId: '006A',
      diagnoses: [
        {
          severity: 'error',
          message: 'ITMREF BMS-400: Insufficient stock at site FR011 (available 3, requested 12)',
        },
      ],
      patterns: policy.rejections,
      lines,
      rejectedAt,
    });
    expect(stock).toMatchObject({
      reason: 'INSUFFICIENT_STOCK',
      lines: [{ lineNumber: 1, reason: 'INSUFFICIENT_STOCK' }],
    });
    const hold = salesOrderRejectedFrom({
      opportunityId: '006A',
      diagnoses: [{ severity: 'error', message: 'Customer C00004 is on credit hold: order entry blocked' }],
      patterns: policy.rejections,
      lines,
      rejectedAt,
    });
    expect(hold).toMatchObject({ reason: 'CREDIT_HOLD', lines: [] });
  });

  it('is nothing when X3 reported no error', () => {
    expect(
      salesOrderRejectedFrom({
        opportunityId: '006A',
        diagnoses: [{ severity: 'warning', message: 'Price list not found, base price used' }],
        patterns: policy.rejections,
        lines,
        rejectedAt,
      }),
    ).toBeUndefined();
  });
});

describe('the order request of an Opportunity source event', () => {
  const change = {
    recordId: '006000000000ABCD1A',
    changeType: 'UPDATED' as const,
    changedFields: [] as string[],
    fields: {
      Id: '006000000000ABCD1A',
      StageName: 'Closed Won',
      CloseDate: '2026-11-20',
      AccountId: '0015g00000Kq7RzAAJ',
      LastModifiedDate: '2026-11-20T14:05:09.000+0000',
      'Account.Name': 'Acme',
      'Account.X3_Customer_Code__c': 'C00001',
    },
    lines: [
      {
        entity: 'OpportunityLineItem',
        recordId: '00k000000000ABCD1A',
        fields: { 'Product2.ProductCode': 'BMS-400', Quantity: 2, UnitPrice: 10 },
      },
    ],
  };

  it('reads the flattened Account fields and the line items as the template expects', () => {
    const result = orderRequestOfOpportunity(change, template, policy.eligibility);
    if (result.outcome !== 'request') throw new Error(JSON.stringify(result));
    expect(result.request.customer).toMatchObject({ x3CustomerCode: 'C00001', companyName: 'Acme' });
    expect(result.request.lines).toMatchObject([
      { productCode: 'BMS-400', sourceLineId: '00k000000000ABCD1A' },
    ]);
    expect(result.request.totalAmount).toEqual({ amount: '20', currencyCode: 'EUR' });
  });

  it('requests nothing for a change of only the outcome fields pardot-x3 writes back, nor for a deletion', () => {
    expect(
      orderRequestOfOpportunity(
        { ...change, changedFields: ['X3_Order_Status__c', 'X3_Order_Message__c'] },
        template,
        policy.eligibility,
      ),
    ).toEqual({
      outcome: 'not-eligible',
      reasons: ['only the X3 order outcome pardot-x3 writes back changed'],
    });
    expect(
      orderRequestOfOpportunity({ ...change, changeType: 'DELETED' }, template, policy.eligibility),
    ).toEqual({
      outcome: 'not-eligible',
      reasons: ['the opportunity was deleted'],
    });
  });

  it('names every problem of a won opportunity whose data cannot make an order', () => {
    const bad = {
      ...change,
      lines: [
        {
          entity: 'OpportunityLineItem',
          recordId: '00k000000000ABCD1A',
          fields: { ProductCode: 'BMS-400', Quantity: 0, UnitPrice: 1 },
        },
      ],
    };
    expect(orderRequestOfOpportunity(bad, template, policy.eligibility)).toEqual({
      outcome: 'invalid',
      problems: ['lines[0].quantity must be above zero, not 0 (opportunity-to-sales-order-request@2)'],
    });
  });
});

describe('an Opportunity source event with a __proto__ field (issue 10)', () => {
  it('is invalid, won or not, naming the field, and Object.prototype stays clean', () => {
    const poisoned = {
      recordId: '006000000000POIS1A',
      changeType: 'UPDATED' as const,
      changedFields: [] as string[],
      fields: {
        Id: '006000000000POIS1A',
        StageName: 'Negotiation',
        'Account.__proto__.px3Polluted': 'x',
      },
      lines: [],
    };
    try {
      expect(orderRequestOfOpportunity(poisoned, template, policy.eligibility)).toEqual({
        outcome: 'invalid',
        problems: [
          'the source field Account.__proto__ is refused: __proto__, constructor and prototype are not allowed as field names (opportunity-to-sales-order-request@2)',
        ],
      });
      expect(({} as Record<string, unknown>)['px3Polluted']).toBeUndefined();
    } finally {
      delete (Object.prototype as Record<string, unknown>)['px3Polluted'];
    }
  });
});
