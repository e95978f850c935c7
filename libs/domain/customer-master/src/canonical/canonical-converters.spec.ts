import {
  createAvroType,
  CustomerMergedSchema,
  CustomerObservationSchema,
  GoldenCustomerSchema,
  type CustomerObservation as CanonicalCustomerObservation,
} from '@pardot-x3/canonical';
import { describe, expect, it } from 'vitest';
import type { CustomerObservation, GoldenCustomer } from '../customer/customer.types.js';
import { parseCustomerObservation } from '../customer/customer-observation.parser.js';
import { decideCustomerMaster } from '../golden-record/customer-master.decider.js';
import { parseMatchingPolicy } from '../matching/matching-policy.parser.js';
import { parseSurvivorshipPolicy } from '../survivorship/survivorship-policy.parser.js';
import { observationDelta } from '../observation/observation-delta.js';
import {
  customerObservationFromCanonical,
  customerObservationToCanonical,
} from './customer-observation.converter.js';
import {
  customerMergedToCanonical,
  goldenCustomerFromCanonical,
  goldenCustomerToCanonical,
} from './golden-customer.converter.js';
import { minimalDecimal } from './canonical-values.util.js';

const x3: CustomerObservation = {
  sourceSystem: 'X3',
  sourceEntity: 'BPCUSTOMER',
  sourceId: 'C00001',
  observedAt: Date.parse('2026-11-20T09:00:00Z'),
  email: 'jane@acme.fr',
  companyName: 'Acme Industrie',
  phone: null,
  address: { line1: '12 rue de la Paix', line2: null, city: 'Paris', postalCode: '75002', countryCode: 'FR' },
  customerCode: 'C00001',
  creditStatus: 'CHECK',
  totalRevenue: { amount: '184250.4', currencyCode: 'EUR' },
  lastPurchaseDate: '2026-11-19',
  customFields: { YSEGMENT: 'B2B', YOLD: null },
};

const policies = {
  matching: parseMatchingPolicy(
    'version: 1\nrules:\n  - { name: normalised-email, fields: [email], canMerge: true }\n',
    'matching.yaml',
  ),
  survivorship: parseSurvivorshipPolicy(
    [
      'version: 1',
      'default: { rule: last-writer-wins }',
      'customFields: { rule: last-writer-wins }',
      'fields:',
      '  address: { rule: system-of-record, system: X3 }',
      '  creditStatus: { rule: system-of-record, system: X3, otherwise: none }',
      '  totalRevenue: { rule: system-of-record, system: X3, otherwise: none }',
      '',
    ].join('\n'),
    'survivorship.yaml',
  ),
};

describe('customer observation ⇄ canonical', () => {
  it('keeps unknown apart from cleared through Avro, and writes what the registry schema accepts', () => {
    const canonical = customerObservationToCanonical(x3, { deleted: false });
    expect(canonical.clearedFields).toEqual(['phone', 'address.line2', 'customFields.YOLD']);
    expect(canonical.firstName).toBeNull();
    const type = createAvroType(CustomerObservationSchema.json);
    const decoded = type.fromBuffer(type.toBuffer(canonical)) as CanonicalCustomerObservation;
    expect(decoded.totalRevenue).toEqual({ amount: '184250.4000', currencyCode: 'EUR' });
    const { observation, extras } = customerObservationFromCanonical(decoded);
    expect(observation).toEqual(x3);
    expect('firstName' in observation).toBe(false);
    expect(extras).toEqual({ deleted: false, links: [], quarantinedFields: [] });
    expect(parseCustomerObservation(observation)).toEqual(x3);
  });

  it('carries the fields a template quarantined through Avro (ADR 0135)', () => {
    const quarantinedFields = [
      {
        field: 'phone',
        rule: 'invalid-phone',
        reason: 'is not a valid phone number for US',
        sourceField: 'TEL',
      },
    ];
    const canonical = customerObservationToCanonical(x3, { quarantinedFields });
    const type = createAvroType(CustomerObservationSchema.json);
    const decoded = type.fromBuffer(type.toBuffer(canonical)) as CanonicalCustomerObservation;
    expect(decoded.quarantinedFields).toEqual(quarantinedFields);
    expect(customerObservationFromCanonical(decoded).extras.quarantinedFields).toEqual(quarantinedFields);
  });

  it('refuses an amount the contract cannot carry exactly instead of rounding it', () => {
    expect(() =>
      customerObservationToCanonical({ ...x3, totalRevenue: { amount: '1.23456', currencyCode: 'EUR' } }),
    ).toThrow(/more than 4 decimals/);
  });

  it('writes amounts in minimal form so survivorship compares them with golden values', () => {
    expect(minimalDecimal('184250.4000')).toBe('184250.4');
    expect(minimalDecimal('007.000')).toBe('7');
    expect(minimalDecimal('-0.00')).toBe('0');
  });
});

describe('golden customer ⇄ canonical', () => {
  const salesforce: CustomerObservation = {
    sourceSystem: 'SALESFORCE',
    sourceEntity: 'Lead',
    sourceId: '00Q5g00000Ab12CEAR',
    observedAt: Date.parse('2026-11-21T09:00:00Z'),
    email: 'jane@acme.fr',
    phone: '+33142685300',
  };

  function goldenOf(...observations: CustomerObservation[]): GoldenCustomer {
    let candidates: GoldenCustomer[] = [];
    let n = 0;
    for (const observation of observations) {
      const decision = decideCustomerMaster({
        observation,
        candidates,
        policies,
        newGoldenId: () => `g-${++n}`,
      });
      candidates = [decision.golden];
    }
    return candidates[0] as GoldenCustomer;
  }

  it('round-trips a golden record, cleared fields included, through the registry schema', () => {
    const golden = goldenOf(x3, { ...salesforce, phone: undefined, observedAt: x3.observedAt - 1 });
    expect(golden.phone).toBeNull();
    const type = createAvroType(GoldenCustomerSchema.json);
    const canonical = goldenCustomerToCanonical(golden);
    expect(canonical.provenance['phone']).toMatchObject({ system: 'X3', sourceEntity: 'BPCUSTOMER' });
    expect(canonical.createdAt?.getTime()).toBe(golden.createdAt);
    const decoded = goldenCustomerFromCanonical(
      type.fromBuffer(type.toBuffer(canonical)) as typeof canonical,
    );
    expect(decoded.phone).toBeNull();
    expect('firstName' in decoded).toBe(false);
    expect(decoded.customFields).toEqual({ YSEGMENT: 'B2B', YOLD: null });
    expect(decoded.totalRevenue).toEqual({ amount: '184250.4', currencyCode: 'EUR' });
    expect(decoded.provenance).toEqual(golden.provenance);
    expect(decoded.xrefs).toEqual(golden.xrefs);
  });

  it('announces a merge once per survivor with every absorbed record', () => {
    const type = createAvroType(CustomerMergedSchema.json);
    const [merged] = customerMergedToCanonical(
      [
        {
          survivorGoldenId: 'g-1',
          mergedGoldenId: 'g-2',
          matchRules: ['normalised-email'],
          reason: 'same email',
          triggeredBy: { system: 'PARDOT', entity: 'Prospect', sourceId: '1', observedAt: 1 },
        },
        {
          survivorGoldenId: 'g-1',
          mergedGoldenId: 'g-3',
          matchRules: ['normalised-email'],
          reason: 'same email again',
          triggeredBy: { system: 'PARDOT', entity: 'Prospect', sourceId: '1', observedAt: 1 },
        },
      ],
      { mergedAt: new Date(5) },
    );
    expect(merged).toEqual({
      survivorGoldenId: 'g-1',
      absorbedGoldenIds: ['g-2', 'g-3'],
      mergedAt: new Date(5),
      matchRule: 'normalised-email',
      explanation: 'same email; same email again',
    });
    expect(type.isValid(merged)).toBe(true);
  });
});

describe('observationDelta', () => {
  it('offers a first record without the fields it never had, then only what changed', () => {
    const first = observationDelta(undefined, x3);
    if (first.kind !== 'changes') throw new Error('expected changes');
    expect(first.observation).not.toHaveProperty('phone');
    expect(first.observation.customFields).toEqual({ YSEGMENT: 'B2B' });

    const later = observationDelta(first.state, {
      ...x3,
      observedAt: x3.observedAt + 60_000,
      companyName: 'Acme Industrie SA',
      phone: '+33142685300',
    });
    if (later.kind !== 'changes') throw new Error('expected changes');
    expect(later.changedFields).toEqual(['companyName', 'phone']);
    expect(later.observation).toEqual({
      sourceSystem: 'X3',
      sourceEntity: 'BPCUSTOMER',
      sourceId: 'C00001',
      observedAt: x3.observedAt + 60_000,
      companyName: 'Acme Industrie SA',
      phone: '+33142685300',
    });

    const cleared = observationDelta(later.state, {
      ...x3,
      observedAt: x3.observedAt + 120_000,
      phone: null,
    });
    if (cleared.kind !== 'changes') throw new Error('expected changes');
    expect(cleared.observation.phone).toBeNull();
    expect(cleared.changedFields).toContain('phone');
  });

  it('completes an address sent in parts with the parts the record had', () => {
    const contact: CustomerObservation = {
      sourceSystem: 'SALESFORCE',
      sourceEntity: 'Contact',
      sourceId: '0035g00000AbCdEAAZ',
      observedAt: 1_000,
      address: { line1: '1 Main St', city: 'Boston', postalCode: '02110', countryCode: 'US' },
    };
    const first = observationDelta(undefined, contact);
    if (first.kind !== 'changes') throw new Error('expected changes');
    const moved = observationDelta(first.state, {
      ...contact,
      observedAt: 2_000,
      address: { city: 'Cambridge' },
    });
    if (moved.kind !== 'changes') throw new Error('expected changes');
    expect(moved.observation.address).toEqual({
      line1: '1 Main St',
      city: 'Cambridge',
      postalCode: '02110',
      countryCode: 'US',
    });
    expect(moved.state.fields.address).toEqual(moved.observation.address);
  });

  it('offers nothing for an older version that arrives after a newer one', () => {
    const first = observationDelta(undefined, x3);
    if (first.kind !== 'changes') throw new Error('expected changes');
    expect(observationDelta(first.state, { ...x3, observedAt: x3.observedAt - 1 }).kind).toBe('stale');
  });
});
