import { createAvroType, TOPICS } from '@pardot-x3/canonical';
import { describe, expect, it } from 'vitest';
import { toCanonicalValue } from './canonical-value.converter.js';

describe('toCanonicalValue', () => {
  it('builds a Shipment from a template output: defaults for what is missing, timestamps as dates, decimals as text', () => {
    const result = toCanonicalValue(TOPICS.salesShipmentValidatedV1.value, {
      deliveryNumber: 'SD0000001',
      orderNumber: 'SO0000001',
      x3CustomerCode: 'C00001',
      deliveryDate: '2026-11-26',
      validatedAt: Date.parse('2026-11-26T10:15:00Z'),
      lines: [{ lineNumber: 1, productCode: 'BIK-1001', quantity: 2 }],
    });
    expect(result).toEqual({
      ok: true,
      value: {
        deliveryNumber: 'SD0000001',
        orderNumber: 'SO0000001',
        opportunityId: null,
        x3CustomerCode: 'C00001',
        customerEmail: null,
        deliveryDate: '2026-11-26',
        validatedAt: new Date('2026-11-26T10:15:00Z'),
        shipSite: null,
        carrier: null,
        trackingNumber: null,
        lines: [{ lineNumber: 1, productCode: 'BIK-1001', quantity: '2' }],
      },
    });
    // What it builds is what the registered schema accepts.
    const type = createAvroType(TOPICS.salesShipmentValidatedV1.value.json);
    if (result.ok) expect(type.isValid(result.value)).toBe(true);
  });

  it('resolves named types defined earlier in the schema, also when their first use is empty', () => {
    const result = toCanonicalValue(TOPICS.salesOrderRepliedV1.value, {
      opportunityId: '006A',
      outcome: 'REJECTED',
      rejected: {
        opportunityId: '006A',
        reason: 'UNKNOWN_PRODUCT',
        message: 'ITMREF NOPE-1 : Record does not exist',
        lines: [{ lineNumber: 1, productCode: 'NOPE-1', reason: 'UNKNOWN_PRODUCT', message: 'unknown' }],
        rejectedAt: '2026-11-26T10:00:00Z',
      },
    });
    expect(result.ok).toBe(true);
    const type = createAvroType(TOPICS.salesOrderRepliedV1.value.json);
    if (result.ok) expect(type.isValid(result.value)).toBe(true);
  });

  it('names every problem at once: a missing required field, a wrong enum, too many decimals, an unknown key', () => {
    const result = toCanonicalValue(TOPICS.engagementActivityRecordedV1.value, {
      activityId: 1001,
      kind: 'EMAIL_SENT',
      sourceType: '6',
      occurredAt: 'yesterday',
      favouriteColour: 'blue',
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        'prospectId is required',
        'kind: "EMAIL_SENT" is not one of EMAIL_OPEN, EMAIL_CLICK, PAGE_VIEW, FORM_SUBMISSION, FILE_DOWNLOAD, EVENT_ATTENDANCE, OTHER',
        'occurredAt: "yesterday" is not a point in time',
        'favouriteColour is not a field of EngagementActivity',
      ],
    });
  });

  it('never rounds a decimal', () => {
    const result = toCanonicalValue(TOPICS.inventoryStockLevelChangedV1.value, {
      itemRef: 'BIK-1001',
      site: 'FR011',
      physicalStock: '10.12345',
      allocatedStock: '0',
      availableStock: 10,
      measuredAt: 0,
    });
    expect(result).toEqual({
      ok: false,
      problems: ['physicalStock: "10.12345" has more than 4 decimals (it is never rounded)'],
    });
  });
});
