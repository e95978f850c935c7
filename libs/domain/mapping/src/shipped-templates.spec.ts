import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapRecord } from './engine/mapping.engine.js';
import { parseMappingTemplate } from './template/mapping-template.parser.js';

const MAPPINGS_DIR = new URL('../../../../config/mappings/', import.meta.url);
const files = readdirSync(MAPPINGS_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const load = (file: string) =>
  parseMappingTemplate(readFileSync(new URL(file, MAPPINGS_DIR), 'utf8'), `config/mappings/${file}`);
const sample = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`samples/${name}.sample.json`, MAPPINGS_DIR), 'utf8'));

describe('the mapping templates shipped in config/mappings', () => {
  it('cover every direction the product syncs', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'x3-customer-to-canonical.yaml',
        'salesforce-lead-to-canonical.yaml',
        'salesforce-contact-to-canonical.yaml',
        'salesforce-account-to-canonical.yaml',
        'pardot-prospect-to-canonical.yaml',
        'golden-to-pardot-prospect.yaml',
        'golden-to-salesforce-contact.yaml',
        'golden-to-salesforce-account.yaml',
        'golden-to-x3-customer.yaml',
        'opportunity-to-sales-order-request.yaml',
      ]),
    );
  });

  it.each(files)('%s loads, is named after its file and maps its sample record cleanly', (file) => {
    const template = load(file);
    expect(`${template.name}.yaml`).toBe(file);
    const result = mapRecord(template, sample(template.name));
    if (result.outcome === 'rejected') throw new Error(result.problems.map((p) => p.message).join('\n'));
    expect(result.outcome).toBe('mapped');
    if (result.outcome === 'mapped') expect(result.warnings).toEqual([]);
  });

  const CUSTOMER_TEMPLATES: readonly (readonly [string, string, string])[] = [
    ['x3-customer-to-canonical', 'TEL', 'WEB'],
    ['salesforce-account-to-canonical', 'Phone', 'Email__c'],
    ['salesforce-contact-to-canonical', 'Phone', 'Email'],
    ['salesforce-lead-to-canonical', 'Phone', 'Email'],
    ['pardot-prospect-to-canonical', 'phone', 'email'],
  ];

  it.each(CUSTOMER_TEMPLATES)(
    '%s: an invalid phone is quarantined (the record maps without it), an invalid email still rejects',
    (name, phoneField, emailField) => {
      const template = load(`${name}.yaml`);
      const record = sample(name) as Record<string, unknown>;
      const result = mapRecord(template, { ...record, [phoneField]: '+1 555 0100', MobilePhone: null });
      if (result.outcome !== 'mapped') throw new Error(`${name} did not map: ${JSON.stringify(result)}`);
      expect(result.record).not.toHaveProperty('phone');
      expect(result.quarantined).toEqual([
        {
          field: 'phone',
          rule: 'invalid-phone',
          reason: expect.stringMatching(/^is not a valid phone number/),
          sourceField: phoneField,
        },
      ]);
      const bad = mapRecord(template, { ...record, [emailField]: 'jane@@acme.example' });
      expect(bad.outcome).toBe('rejected');
    },
  );

  it('X3 customer: enriches the observation with revenue, last purchase, group, credit status and industry', () => {
    const result = mapRecord(load('x3-customer-to-canonical.yaml'), sample('x3-customer-to-canonical'));
    expect(result.outcome === 'mapped' && result.record).toMatchObject({
      sourceSystem: 'X3',
      sourceId: 'C000123',
      customerCode: 'C000123',
      companyName: 'Acme Industrie SARL',
      email: 'jane.doe@acme-industrie.fr',
      phone: '+33142685300',
      address: {
        line1: '12 rue de la Paix',
        line2: 'Bâtiment B, 3e étage',
        city: 'Paris',
        postalCode: '75002',
        region: null,
        countryCode: 'FR',
      },
      customerGroup: 'HVC',
      currencyCode: 'EUR',
      creditStatus: 'CHECK',
      totalRevenue: { amount: '184250.4', currencyCode: 'EUR' },
      lastPurchaseDate: '2026-10-28',
      industrySegment: 'Manufacturing',
      customFields: { YACCOUNTMGR: 'MDUPONT' },
      observedAt: Date.parse('2026-11-20T09:15:00Z'),
    });
  });

  it('golden → Pardot: X3 revenue becomes Customer Lifetime Value and the credit status a readable label', () => {
    const result = mapRecord(load('golden-to-pardot-prospect.yaml'), sample('golden-to-pardot-prospect'));
    expect(result.outcome === 'mapped' && result.record).toMatchObject({
      email: 'jane.doe@acme-industrie.fr',
      company: 'Acme Industrie SARL',
      ERP_Customer_Code__c: 'C000123',
      Customer_Lifetime_Value__c: 184250.4,
      Industry_Segment__c: 'Manufacturing',
      Last_Purchase_Date__c: '2026-10-28',
      Credit_Status__c: 'Under review',
      Webinar_Topic__c: 'ERP integration',
    });
  });

  it('golden → X3: Pardot grade A becomes the X3 category HVC (High-Value Customer)', () => {
    const template = load('golden-to-x3-customer.yaml');
    const result = mapRecord(template, sample('golden-to-x3-customer'));
    expect(result.outcome === 'mapped' && result.record['BCGCOD']).toBe('HVC');
    expect(result.trace.find((t) => t.field === 'BCGCOD')?.note).toBe(
      '"A" → "HVC" (High-Value Customer) via pardot-grade-to-x3-category',
    );
  });

  it('Pardot prospect: our own enrichment fields read back are not taken for Pardot data', () => {
    const result = mapRecord(
      load('pardot-prospect-to-canonical.yaml'),
      sample('pardot-prospect-to-canonical'),
    );
    expect(result.outcome === 'mapped' && result.record['customFields']).toEqual({
      Webinar_Topic__c: 'ERP integration',
    });
    expect(result.outcome === 'mapped' && result.unmappedSourceFields).toEqual([
      'Customer_Lifetime_Value__c',
    ]);
  });

  it('opportunity: every line item becomes an order line with its Product2 product code', () => {
    const result = mapRecord(
      load('opportunity-to-sales-order-request.yaml'),
      sample('opportunity-to-sales-order-request'),
    );
    expect(result.outcome === 'mapped' && result.record['lines']).toEqual([
      {
        lineItemId: '00k5g00000Ln1AAAQ',
        productCode: 'BMS-400',
        productName: 'Bearing module BMS-400',
        quantity: '12',
        unitPrice: '1845',
      },
      {
        lineItemId: '00k5g00000Ln2AAAQ',
        productCode: 'SVC-INSTALL',
        productName: 'On-site installation (day)',
        quantity: '2.5',
        unitPrice: '1440',
      },
    ]);
  });
});
