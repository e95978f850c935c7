import { readFileSync } from 'node:fs';
import { parseMappingTemplate } from '@pardot-x3/mapping';
import { describe, expect, it } from 'vitest';
import { planX3Customer, parseX3CustomerDefaults } from './customer-defaults/x3-customer-defaults.policy.js';
import { evaluateClosedWonRule } from './eligibility/closed-won.rule.js';
import { buildSalesOrderRequest } from './order-request/sales-order-request.builder.js';
import { parseSalesOrderPolicy } from './policy/sales-order-policy.parser.js';
import {
  classifyX3Rejection,
  diagnosesFromGraphql,
  diagnosesFromRest,
} from './rejections/x3-rejection.classifier.js';

const CONFIG = new URL('../../../../config/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, CONFIG), 'utf8');
const policy = parseSalesOrderPolicy(read('sales-orders.yaml'), 'config/sales-orders.yaml');
const template = parseMappingTemplate(
  read('mappings/opportunity-to-sales-order-request.yaml'),
  'opportunity-to-sales-order-request.yaml',
);
const wonOpportunity = JSON.parse(
  read('mappings/samples/opportunity-to-sales-order-request.sample.json'),
) as Record<string, unknown>;
const defaults = parseX3CustomerDefaults(
  read('x3-customer-defaults.yaml'),
  'config/x3-customer-defaults.yaml',
);

describe('the Closed-Won rule', () => {
  it('accepts a won opportunity whose every line has a product', () => {
    expect(evaluateClosedWonRule(wonOpportunity, policy.eligibility)).toEqual({ eligible: true });
  });

  it('refuses an opportunity that is not won yet, saying at which stage it is', () => {
    expect(
      evaluateClosedWonRule({ ...wonOpportunity, StageName: 'Negotiation/Review' }, policy.eligibility),
    ).toEqual({
      eligible: false,
      reasons: ['the opportunity is at stage "Negotiation/Review"; orders are created at "Closed Won"'],
    });
  });

  it('counts IsWon as won whatever the org calls the stage', () => {
    expect(
      evaluateClosedWonRule({ ...wonOpportunity, StageName: 'Signed', IsWon: true }, policy.eligibility),
    ).toEqual({ eligible: true });
  });

  it('refuses a won opportunity without line items', () => {
    expect(
      evaluateClosedWonRule({ ...wonOpportunity, OpportunityLineItems: null }, policy.eligibility),
    ).toEqual({ eligible: false, reasons: ['the opportunity has no product line items'] });
  });

  it('names the line that has no product', () => {
    const lines = {
      records: [
        { Id: '00k1', Product2Id: '01t1', Quantity: 1 },
        { Id: '00k2', Quantity: 3, Description: 'Discount' },
      ],
    };
    expect(
      evaluateClosedWonRule({ ...wonOpportunity, OpportunityLineItems: lines }, policy.eligibility),
    ).toEqual({ eligible: false, reasons: ['line 2 (00k2) has no product'] });
  });
});

describe('building a sales-order request', () => {
  it('builds the request keyed by the opportunity id, with numbered lines, product codes and custom fields', () => {
    const outcome = buildSalesOrderRequest(wonOpportunity, template, policy.eligibility);
    if (outcome.outcome !== 'request') throw new Error(JSON.stringify(outcome));
    expect(outcome.request).toMatchObject({
      orderKey: '0065g00000QwErTAAZ',
      accountId: '0015g00000Kq7RzAAJ',
      accountName: 'Acme Industrie SARL',
      orderDate: '2026-11-20',
      currencyCode: 'EUR',
      lines: [
        { lineNumber: 1, productCode: 'BMS-400', quantity: '12', unitPrice: '1845' },
        { lineNumber: 2, productCode: 'SVC-INSTALL', quantity: '2.5', unitPrice: '1440' },
      ],
      customFields: {},
    });
    expect(outcome.templateId).toBe('opportunity-to-sales-order-request@2');
  });

  it('does nothing with an opportunity that is not won', () => {
    expect(
      buildSalesOrderRequest({ ...wonOpportunity, StageName: 'Prospecting' }, template, policy.eligibility),
    ).toMatchObject({ outcome: 'not-eligible', opportunityId: '0065g00000QwErTAAZ' });
  });

  it('reports bad line data as invalid, every problem at once (text where a quantity belongs is not a crash)', () => {
    const records = [
      { Id: '00k1', ProductCode: 'BMS-400', Quantity: 'twelve', UnitPrice: 1845 },
      { Id: '00k2', ProductCode: 'BMS-500', Quantity: 0, UnitPrice: -3 },
    ];
    const outcome = buildSalesOrderRequest(
      { ...wonOpportunity, OpportunityLineItems: { records } },
      template,
      policy.eligibility,
    );
    expect(outcome).toEqual({
      outcome: 'invalid',
      opportunityId: '0065g00000QwErTAAZ',
      templateId: 'opportunity-to-sales-order-request@2',
      problems: ['lines[0].quantity: "twelve" (from Quantity) is not a number'],
    });
    const second = buildSalesOrderRequest(
      { ...wonOpportunity, OpportunityLineItems: { records: [records[1]] } },
      template,
      policy.eligibility,
    );
    expect(second).toMatchObject({
      outcome: 'invalid',
      problems: [
        'lines[0].quantity must be above zero, not 0',
        'lines[0].unitPrice must be zero or more, not -3',
      ],
    });
  });

  it('refuses an unknown currency on a won opportunity', () => {
    expect(
      buildSalesOrderRequest({ ...wonOpportunity, CurrencyIsoCode: 'EURO' }, template, policy.eligibility),
    ).toMatchObject({
      outcome: 'invalid',
      problems: [
        'currencyCode: "EURO" (from CurrencyIsoCode) is not an ISO 4217 currency code (such as EUR, USD or GBP)',
      ],
    });
  });
});

describe('the X3 customer of an order', () => {
  const newCustomer = {
    BPCNAM: 'Hartley Engineering Ltd',
    BCGCOD: null,
    CUR: null,
    PTE: null,
    CRY: 'GB',
    BPCNUM: null,
  };

  it('uses the X3 customer already linked to the golden record: never a second one', () => {
    expect(
      planX3Customer(
        { existingCustomerCodes: ['C000123'], customer: newCustomer, customerKey: 'gc-1' },
        defaults,
      ),
    ).toEqual({ action: 'use-existing', customerCode: 'C000123' });
  });

  it('creates a missing customer with the financial defaults of its country', () => {
    const plan = planX3Customer(
      { existingCustomerCodes: [], customer: newCustomer, customerKey: 'gc-7' },
      defaults,
    );
    expect(plan).toEqual({
      action: 'create',
      customer: { ...newCustomer, BCGCOD: 'STD', CUR: 'GBP', PTE: '30NET', VACBPR: 'GBR' },
      appliedDefaults: [
        { field: 'BCGCOD', value: 'STD', reason: 'company default' },
        { field: 'CUR', value: 'GBP', reason: 'default for customers in GB' },
        { field: 'PTE', value: '30NET', reason: 'company default' },
        { field: 'VACBPR', value: 'GBR', reason: 'default for customers in GB' },
      ],
      idempotencyKey: 'x3-customer:gc-7',
    });
  });

  it('keeps what the data gives, such as the category suggested by the Pardot grade', () => {
    const plan = planX3Customer(
      {
        existingCustomerCodes: [],
        customer: { ...newCustomer, BCGCOD: 'HVC', CRY: 'FR' },
        customerKey: 'gc-8',
      },
      defaults,
    );
    expect(plan.action === 'create' && plan.customer).toMatchObject({
      BCGCOD: 'HVC',
      CUR: 'EUR',
      VACBPR: 'FRA',
    });
  });

  it('refuses defaults that are not real codes, at their line', () => {
    expect(() =>
      parseX3CustomerDefaults(
        'version: 1\ndefaults: { category: STD, currency: EURO, paymentTerms: 30NET, taxRule: FRA }\nbyCountry:\n  UK: { currency: GBP }\n',
        'd.yaml',
      ),
    ).toThrow(
      'd.yaml is not valid (2 problems):\n  d.yaml:2:38: defaults.currency: "EURO" is not an ISO 4217 currency code\n  d.yaml:4:3: byCountry.UK: "UK" is not an ISO 3166-1 alpha-2 country code',
    );
  });
});

describe('classifying X3 rejections', () => {
  const codes = ['BMS-400', 'SVC-INSTALL'];

  it('reads "721 : Record does not exist" on a product as an unknown product code', () => {
    const rejection = classifyX3Rejection(
      diagnosesFromRest([{ $severity: 'error', $message: 'ITMREF BMS-400 : 721 : Record does not exist' }]),
      policy.rejections,
      codes,
    );
    expect(rejection).toEqual({
      kind: 'unknown-product',
      reason:
        'Sage X3 does not know the product code BMS-400. Correct the product on the opportunity line (Product2 product code) or have the item created in X3, then send the order again.',
      productCodes: ['BMS-400'],
      x3Messages: ['ITMREF BMS-400 : 721 : Record does not exist'],
    });
  });

  it('reads a bare "721 : Record does not exist" as a missing reference, quoting X3', () => {
    expect(
      classifyX3Rejection(
        diagnosesFromRest([{ $severity: 'error', $message: '721 : Record does not exist' }]),
        policy.rejections,
        codes,
      ),
    ).toMatchObject({
      kind: 'unknown-reference',
      reason:
        'Sage X3 could not find a record this order refers to (721 : Record does not exist). Check the product codes, the customer and the currency.',
    });
  });

  it('recognises a stock shortage and names the product', () => {
    expect(
      classifyX3Rejection(
        [
          {
            severity: 'error',
            message: 'Insufficient stock for SVC-INSTALL on site FR011: 1.5 available, 2.5 ordered',
          },
        ],
        policy.rejections,
        codes,
      ),
    ).toMatchObject({
      kind: 'insufficient-stock',
      productCodes: ['SVC-INSTALL'],
      reason:
        'Sage X3 has not enough stock of SVC-INSTALL to accept this order. Ask operations when stock arrives, or change the quantities.',
    });
  });

  it('recognises a customer on credit hold, in English and in French', () => {
    expect(
      classifyX3Rejection(
        [{ severity: 'error', message: 'Undeliverable Order: Customer Held' }],
        policy.rejections,
      )?.kind,
    ).toBe('credit-hold');
    expect(
      classifyX3Rejection([{ severity: 3, message: 'Client bloqué : encours dépassé' }], policy.rejections)
        ?.kind,
    ).toBe('credit-hold');
  });

  it('reads GraphQL errors too', () => {
    const errors = [
      {
        message: 'Site: Record not found',
        extensions: { diagnoses: [{ severity: 3, message: 'Item: Record not found: {"_id":"#BMS-400"}' }] },
      },
    ];
    expect(classifyX3Rejection(diagnosesFromGraphql(errors), policy.rejections, codes)).toMatchObject({
      kind: 'unknown-product',
      productCodes: ['BMS-400'],
    });
  });

  it('ignores warnings, and keeps an unknown error visible as unclassified', () => {
    expect(
      classifyX3Rejection([{ severity: 'warning', message: 'Price list expired' }], policy.rejections),
    ).toBeUndefined();
    expect(classifyX3Rejection([{ severity: 'error', message: 'Period closed' }], policy.rejections)).toEqual(
      {
        kind: 'unclassified',
        reason: 'Sage X3 refused the order: Period closed',
        productCodes: [],
        x3Messages: ['Period closed'],
      },
    );
  });

  it('refuses a pattern that is not a regular expression, at its line', () => {
    expect(() =>
      parseSalesOrderPolicy(
        'version: 1\neligibility: { wonStageNames: [Closed Won] }\nx3Rejections:\n  - kind: credit-hold\n    patterns: ["(unclosed"]\n',
        's.yaml',
      ),
    ).toThrow('s.yaml:5:16: x3Rejections[0].patterns[0]: "(unclosed" is not a valid regular expression');
  });
});
