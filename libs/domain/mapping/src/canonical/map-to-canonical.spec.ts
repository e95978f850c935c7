import { readFileSync } from 'node:fs';
import { TOPICS } from '@pardot-x3/canonical';
import { describe, expect, it } from 'vitest';
import { parseMappingTemplate } from '../template/mapping-template.parser.js';
import { mapToCanonical, numberLines } from './map-to-canonical.js';

const MAPPINGS = new URL('../../../../../config/mappings/', import.meta.url);
const template = (name: string) =>
  parseMappingTemplate(
    readFileSync(new URL(`${name}.yaml`, MAPPINGS), 'utf8'),
    `config/mappings/${name}.yaml`,
  );
const sample = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`samples/${name}.sample.json`, MAPPINGS), 'utf8')) as Record<
    string,
    unknown
  >;

describe('mapToCanonical', () => {
  it('turns a validated X3 delivery into a Shipment with numbered lines', () => {
    const result = mapToCanonical(
      template('x3-delivery-to-canonical'),
      sample('x3-delivery-to-canonical'),
      TOPICS.salesShipmentValidatedV1.value,
      { prepare: (record) => numberLines(record) },
    );
    expect(result).toMatchObject({
      outcome: 'mapped',
      templateId: 'x3-delivery-to-canonical@1',
      value: {
        deliveryNumber: 'SD0000007',
        orderNumber: 'SO0000042',
        x3CustomerCode: 'C00001',
        validatedAt: new Date('2026-11-24T09:30:00Z'),
        lines: [{ lineNumber: 1, productCode: 'BMS-400', quantity: '12' }],
      },
    });
  });

  it('skips a delivery that is not validated yet, saying why', () => {
    const result = mapToCanonical(
      template('x3-delivery-to-canonical'),
      { ...sample('x3-delivery-to-canonical'), CFMFLG: 1 },
      TOPICS.salesShipmentValidatedV1.value,
    );
    expect(result).toEqual({
      outcome: 'skipped',
      templateId: 'x3-delivery-to-canonical@1',
      reason: 'CFMFLG is 1, not 2',
    });
  });

  it('refuses an output the schema cannot hold, naming the template', () => {
    // Without numbered lines the Shipment lacks a required field.
    const result = mapToCanonical(
      template('x3-delivery-to-canonical'),
      sample('x3-delivery-to-canonical'),
      TOPICS.salesShipmentValidatedV1.value,
    );
    expect(result).toEqual({
      outcome: 'rejected',
      templateId: 'x3-delivery-to-canonical@1',
      problems: ['lines[0].lineNumber is required (output of x3-delivery-to-canonical@1)'],
    });
  });

  it('maps an X3 order with its opportunity only when the reference is an Opportunity id', () => {
    const order = sample('x3-sales-order-to-canonical');
    const mapped = mapToCanonical(
      template('x3-sales-order-to-canonical'),
      { ...order, CUSORDREF: 'PO-2026-0042' },
      TOPICS.salesOrderCreatedV1.value,
      { prepare: (record) => numberLines(record) },
    );
    expect(mapped).toMatchObject({
      outcome: 'mapped',
      value: {
        orderNumber: 'SO0000042',
        opportunityId: null,
        totalAmount: { amount: '25740', currencyCode: 'EUR' },
        lines: [
          { lineNumber: 1, productCode: 'BMS-400', quantity: '12', unitPrice: '1845' },
          { lineNumber: 2, productCode: 'SVC-INSTALL', quantity: '2.5', unitPrice: '1440' },
        ],
      },
    });
  });

  it('turns a posted X3 invoice into an InvoicePosted, and leaves an invoice not posted yet out', () => {
    const invoice = sample('x3-invoice-to-canonical');
    const mapped = mapToCanonical(
      template('x3-invoice-to-canonical'),
      invoice,
      TOPICS.salesInvoicePostedV1.value,
    );
    expect(mapped).toMatchObject({
      outcome: 'mapped',
      value: {
        invoiceNumber: 'SI0000012',
        orderNumber: 'SO0000042',
        x3CustomerCode: 'C00001',
        invoiceDate: '2026-11-25',
        postedAt: new Date('2026-11-25T16:10:00Z'),
      },
    });
    expect(
      mapToCanonical(
        template('x3-invoice-to-canonical'),
        { ...invoice, STA: 1 },
        TOPICS.salesInvoicePostedV1.value,
      ).outcome,
    ).toBe('skipped');
  });
});
