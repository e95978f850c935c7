import { describe, expect, it } from 'vitest';
import { canonicalPayloadJson, changedValues } from './write-payload.util.js';

describe('changedValues', () => {
  it('sends everything the first time, then only what changed, with null to clear', () => {
    const first = { email: 'jane@acme.fr', city: 'Paris', Customer_Group__c: 'STD' };
    expect(changedValues(first, undefined)).toEqual(first);
    expect(changedValues({ ...first, city: 'Lyon', Customer_Group__c: null }, first)).toEqual({
      city: 'Lyon',
      Customer_Group__c: null,
    });
    expect(changedValues(first, { ...first })).toEqual({});
  });

  it('compares values whatever the order of their keys', () => {
    expect(canonicalPayloadJson({ b: 1, a: { d: 2, c: 3 } })).toBe(
      canonicalPayloadJson({ a: { c: 3, d: 2 }, b: 1 }),
    );
  });
});
