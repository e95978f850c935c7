import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CustomerObservation, GoldenCustomer } from '../customer/customer.types.js';
import { matchKeysForGolden, matchKeysForObservation } from '../matching/customer.matcher.js';
import { parseMatchingPolicy } from '../matching/matching-policy.parser.js';
import { parseSurvivorshipPolicy } from '../survivorship/survivorship-policy.parser.js';
import { canonicalJson } from '../survivorship/field-survivorship.js';
import { decideCustomerMaster } from './customer-master.decider.js';
import type { CustomerMasterDecision } from './customer-master-decision.types.js';
import { explainGoldenCustomer } from './golden-customer.explainer.js';

const config = (file: string) =>
  readFileSync(new URL(`../../../../../config/${file}`, import.meta.url), 'utf8');
const policies = {
  matching: parseMatchingPolicy(config('matching.yaml'), 'config/matching.yaml'),
  survivorship: parseSurvivorshipPolicy(config('survivorship.yaml'), 'config/survivorship.yaml'),
};
const at = (iso: string) => Date.parse(iso);

/** A tiny in-memory store: what the mdm app does with TypeORM, enough to run scenarios end to end. */
class GoldenRecordBook {
  private readonly records = new Map<string, GoldenCustomer>();
  private sequence = 0;
  readonly decisions: CustomerMasterDecision[] = [];

  observe(observation: CustomerObservation): CustomerMasterDecision {
    const keys = new Set(matchKeysForObservation(observation, policies.matching));
    const candidates = [...this.records.values()].filter((golden) =>
      matchKeysForGolden(golden, policies.matching).some((key) => keys.has(key)),
    );
    const decision = decideCustomerMaster({
      observation,
      candidates,
      policies,
      newGoldenId: () => `gc-${++this.sequence}`,
    });
    for (const id of decision.retiredGoldenIds) this.records.delete(id);
    this.records.set(decision.golden.goldenId, decision.golden);
    this.decisions.push(decision);
    return decision;
  }

  all(): GoldenCustomer[] {
    return [...this.records.values()];
  }

  only(): GoldenCustomer {
    const all = this.all();
    if (all.length !== 1) throw new Error(`expected one golden record, found ${all.length}`);
    return all[0] as GoldenCustomer;
  }
}

const lead1: CustomerObservation = {
  sourceSystem: 'SALESFORCE',
  sourceEntity: 'Lead',
  sourceId: '00Q5g00000Ab12CEAR',
  observedAt: at('2026-11-02T10:00:00Z'),
  email: 'jane.doe@acme-industrie.fr',
  firstName: 'Jane',
  lastName: 'Doe',
  companyName: 'Acme Industrie',
  phone: '+33142685300',
};
const lead2: CustomerObservation = {
  ...lead1,
  sourceId: '00Q5g00000Cd34EFAB',
  observedAt: at('2026-11-05T08:30:00Z'),
  firstName: 'Jane',
  phone: null,
};
const prospect: CustomerObservation = {
  sourceSystem: 'PARDOT',
  sourceEntity: 'Prospect',
  sourceId: '48213377',
  observedAt: at('2026-11-06T15:15:00Z'),
  email: 'jane.doe@acme-industrie.fr',
  firstName: 'Jane',
  lastName: 'Doe',
  companyName: 'ACME Industrie',
  pardotGrade: 'A',
  pardotScore: 87,
  customFields: { Webinar_Topic__c: 'ERP integration' },
};
const x3Customer: CustomerObservation = {
  sourceSystem: 'X3',
  sourceEntity: 'BPCUSTOMER',
  sourceId: 'C000123',
  observedAt: at('2026-11-01T09:00:00Z'),
  customerCode: 'C000123',
  companyName: 'Acme Industrie SARL',
  email: 'jane.doe@acme-industrie.fr',
  address: {
    line1: '12 rue de la Paix',
    line2: 'Bâtiment B',
    city: 'Paris',
    postalCode: '75002',
    region: null,
    countryCode: 'FR',
  },
  customerGroup: 'HVC',
  currencyCode: 'EUR',
  paymentTerms: '30DEOM',
  creditStatus: 'OK',
  totalRevenue: { amount: '184250.4', currencyCode: 'EUR' },
  lastPurchaseDate: '2026-10-28',
};

describe('customer master: one customer, many source records', () => {
  it('two Salesforce leads and a Pardot prospect whose emails differ only in case and spacing end as one golden record with every id cross-referenced, and one X3 customer', () => {
    const book = new GoldenRecordBook();
    book.observe({ ...lead1, email: 'jane.doe@acme-industrie.fr' });
    book.observe({ ...lead2, email: 'Jane.Doe@ACME-Industrie.fr ' });
    book.observe({ ...prospect, email: '  JANE.DOE@acme-industrie.FR' });
    book.observe(x3Customer);

    const golden = book.only();
    expect(golden.xrefs).toEqual({
      x3CustomerCodes: ['C000123'],
      salesforceLeadIds: ['00Q5g00000Ab12CEAR', '00Q5g00000Cd34EFAB'],
      salesforceContactIds: [],
      salesforceAccountIds: [],
      pardotProspectIds: ['48213377'],
    });
    expect(book.decisions.map((d) => d.action)).toEqual(['create', 'update', 'update', 'update']);
    expect(book.decisions[1]?.explanation).toMatch(
      /^SALESFORCE Lead 00Q5g00000Cd34EFAB belongs to gc-1: same email/,
    );
  });

  it('a replayed observation changes nothing', () => {
    const book = new GoldenRecordBook();
    book.observe(lead1);
    const before = book.only();
    const replay = book.observe(lead1);
    expect(replay.action).toBe('unchanged');
    expect(replay.changedFields).toEqual([]);
    expect(book.only()).toEqual(before);
  });

  it('a new golden record has version 1 and each change adds one', () => {
    const book = new GoldenRecordBook();
    expect(book.observe(lead1).golden.version).toBe(1);
    expect(book.observe(prospect).golden.version).toBe(2);
  });

  it('a record that matches nothing gets its own golden record, so different people stay apart', () => {
    const book = new GoldenRecordBook();
    book.observe(lead1);
    book.observe({ ...lead2, email: 'marc.petit@acme-industrie.fr', firstName: 'Marc', lastName: 'Petit' });
    expect(book.all()).toHaveLength(2);
  });
});

describe('customer master: per-field survivorship', () => {
  it('a change made in Salesforce to a field X3 owns is not written over X3', () => {
    const book = new GoldenRecordBook();
    book.observe(x3Customer);
    const decision = book.observe({
      ...lead1,
      observedAt: at('2026-11-20T12:00:00Z'),
      companyName: 'Acme Ind. (do not use)',
    });
    expect(decision.golden.companyName).toBe('Acme Industrie SARL');
    expect(decision.fieldDecisions.find((d) => d.field === 'companyName')).toEqual({
      field: 'companyName',
      outcome: 'kept',
      explanation:
        'X3 is the system of record for companyName; the change from SALESFORCE Lead 00Q5g00000Ab12CEAR is not taken',
    });
  });

  it('a change to a field Salesforce owns is taken', () => {
    const book = new GoldenRecordBook();
    book.observe({ ...x3Customer, firstName: 'J.' });
    const decision = book.observe({ ...lead1, observedAt: at('2026-11-20T12:00:00Z'), firstName: 'Janet' });
    expect(decision.golden.firstName).toBe('Janet');
    expect(decision.changedFields).toContain('firstName');
    expect(decision.fieldDecisions.find((d) => d.field === 'firstName')?.outcome).toBe('taken');
  });

  it('an address change in X3 flows to the golden record', () => {
    const book = new GoldenRecordBook();
    book.observe(x3Customer);
    book.observe(lead1);
    const moved = {
      line1: '8 avenue Jean Jaurès',
      line2: null,
      city: 'Lyon',
      postalCode: '69007',
      region: null,
      countryCode: 'FR',
    };
    const decision = book.observe({ ...x3Customer, observedAt: at('2026-11-21T07:45:00Z'), address: moved });
    expect(decision.action).toBe('update');
    expect(decision.changedFields).toEqual(['address']);
    expect(decision.golden.address).toEqual(moved);
    expect(decision.golden.provenance['address']?.explanation).toBe(
      'X3 is the system of record for address: value from X3 BPCUSTOMER C000123, changed 2026-11-21T07:45:00.000Z',
    );
  });

  it('an older X3 message arriving late does not undo a newer X3 change', () => {
    const book = new GoldenRecordBook();
    book.observe({
      ...x3Customer,
      observedAt: at('2026-11-21T07:45:00Z'),
      address: { ...x3Customer.address, city: 'Lyon' },
    });
    const late = book.observe(x3Customer);
    expect(late.golden.address?.city).toBe('Lyon');
    expect(late.fieldDecisions.find((d) => d.field === 'address')?.explanation).toMatch(
      /is older than the value from X3 BPCUSTOMER C000123/,
    );
  });

  it('until X3 knows the address, the most recent CRM address holds it', () => {
    const book = new GoldenRecordBook();
    book.observe({ ...lead1, address: { city: 'Paris', postalCode: '75002', countryCode: 'FR' } });
    const golden = book.only();
    expect(golden.address).toEqual({ city: 'Paris', postalCode: '75002', countryCode: 'FR' });
    expect(golden.provenance['address']?.explanation).toMatch(
      /^X3, the system of record for address, has not provided it yet, so the most recent change wins meanwhile/,
    );
  });

  it('financial fields only X3 may set stay unknown when another system offers them', () => {
    const book = new GoldenRecordBook();
    const decision = book.observe({ ...lead1, creditStatus: 'HOLD', customerGroup: 'VIP' });
    expect(decision.golden.creditStatus).toBeUndefined();
    expect(decision.golden.customerGroup).toBeUndefined();
  });

  it('X3 clearing a field it owns clears the golden field (empty is a value, unknown is not)', () => {
    const book = new GoldenRecordBook();
    book.observe(x3Customer);
    const decision = book.observe({
      ...x3Customer,
      observedAt: at('2026-11-03T09:00:00Z'),
      lastPurchaseDate: null,
    });
    expect(decision.golden.lastPurchaseDate).toBeNull();
    const unknown = book.observe({
      sourceSystem: 'X3',
      sourceEntity: 'BPCUSTOMER',
      sourceId: 'C000123',
      observedAt: at('2026-11-04T09:00:00Z'),
      companyName: 'Acme Industrie SARL',
    });
    expect(unknown.golden.paymentTerms).toBe('30DEOM');
  });

  it('the most recent email wins, whichever system changed it', () => {
    const book = new GoldenRecordBook();
    book.observe(lead1);
    const decision = book.observe({
      ...lead1,
      observedAt: at('2026-11-20T09:00:00Z'),
      email: 'jane@acme-group.com',
    });
    expect(decision.golden.email).toBe('jane@acme-group.com');
    expect(decision.golden.provenance['email']?.explanation).toBe(
      'the most recent change wins (last-writer-wins): value from SALESFORCE Lead 00Q5g00000Ab12CEAR, changed 2026-11-20T09:00:00.000Z',
    );
  });

  it('Pardot grade and score come from Pardot only; custom fields are mastered one by one', () => {
    const book = new GoldenRecordBook();
    book.observe(prospect);
    const decision = book.observe({
      ...lead1,
      observedAt: at('2026-11-20T09:00:00Z'),
      pardotGrade: 'F',
      customFields: { Preferred_Language__c: 'fr' },
    });
    expect(decision.golden.pardotGrade).toBe('A');
    expect(decision.golden.customFields).toEqual({
      Webinar_Topic__c: 'ERP integration',
      Preferred_Language__c: 'fr',
    });
  });

  it('explains every field of a golden record', () => {
    const book = new GoldenRecordBook();
    book.observe(x3Customer);
    book.observe(prospect);
    const explanations = explainGoldenCustomer(book.only());
    expect(explanations.map((e) => e.field)).toEqual([
      'email',
      'firstName',
      'lastName',
      'companyName',
      'address',
      'customerCode',
      'customerGroup',
      'currencyCode',
      'paymentTerms',
      'creditStatus',
      'totalRevenue',
      'lastPurchaseDate',
      'pardotGrade',
      'pardotScore',
      'customFields.Webinar_Topic__c',
    ]);
    expect(explanations.find((e) => e.field === 'pardotGrade')).toMatchObject({
      value: 'A',
      provenance: { system: 'PARDOT', sourceId: '48213377', rule: 'system-of-record' },
    });
  });
});

describe('customer master: merges', () => {
  it('merges two golden records when one record proves they are the same customer, and emits a merge event', () => {
    const book = new GoldenRecordBook();
    book.observe(lead1);
    book.observe({ ...prospect, email: 'j.doe@acme-industrie.fr' });
    expect(book.all()).toHaveLength(2);

    const decision = book.observe({
      ...lead1,
      observedAt: at('2026-11-10T10:00:00Z'),
      email: 'j.doe@acme-industrie.fr',
    });
    expect(decision.action).toBe('merge');
    expect(decision.retiredGoldenIds).toEqual(['gc-2']);
    expect(decision.mergeEvents).toEqual([
      {
        survivorGoldenId: 'gc-1',
        mergedGoldenId: 'gc-2',
        matchRules: ['normalised-email'],
        reason:
          'SALESFORCE Lead 00Q5g00000Ab12CEAR matches both: SALESFORCE Lead 00Q5g00000Ab12CEAR is already linked to gc-1; same email "j.doe@acme-industrie.fr" as gc-2 (rule normalised-email)',
        triggeredBy: {
          system: 'SALESFORCE',
          entity: 'Lead',
          sourceId: '00Q5g00000Ab12CEAR',
          observedAt: at('2026-11-10T10:00:00Z'),
        },
      },
    ]);
    const golden = book.only();
    expect(golden.goldenId).toBe('gc-1');
    expect(golden.mergedFrom).toEqual(['gc-2']);
    expect(golden.xrefs.pardotProspectIds).toEqual(['48213377']);
    expect(golden.pardotGrade).toBe('A');
    expect(golden.email).toBe('j.doe@acme-industrie.fr');
  });

  it('the oldest golden record survives a merge', () => {
    const book = new GoldenRecordBook();
    book.observe({ ...prospect, email: 'j.doe@acme-industrie.fr', observedAt: at('2026-11-06T00:00:00Z') });
    book.observe({ ...lead1, observedAt: at('2026-11-01T00:00:00Z') });
    const decision = book.observe({
      ...lead1,
      observedAt: at('2026-11-10T00:00:00Z'),
      email: 'j.doe@acme-industrie.fr',
    });
    expect(decision.golden.goldenId).toBe('gc-2');
    expect(decision.retiredGoldenIds).toEqual(['gc-1']);
  });

  it('an account matched only by company and postcode is attached, never used to merge golden records', () => {
    const book = new GoldenRecordBook();
    book.observe({ ...lead1, address: { postalCode: '75002' } });
    book.observe({
      ...lead2,
      email: 'marc.petit@acme-industrie.fr',
      firstName: 'Marc',
      lastName: 'Petit',
      address: { postalCode: '75 002' },
    });
    const account: CustomerObservation = {
      sourceSystem: 'SALESFORCE',
      sourceEntity: 'Account',
      sourceId: '0015g00000Kq7RzAAJ',
      observedAt: at('2026-11-12T00:00:00Z'),
      companyName: 'ACME INDUSTRIE S.A.R.L.',
      address: { postalCode: '75002', city: 'Paris', countryCode: 'FR' },
    };
    const decision = book.observe(account);
    expect(decision.action).toBe('update');
    expect(decision.golden.goldenId).toBe('gc-1');
    expect(decision.ambiguousGoldenIds).toEqual(['gc-2']);
    expect(book.all()).toHaveLength(2);
  });

  it('company and postcode do not match two people whose emails differ', () => {
    const book = new GoldenRecordBook();
    book.observe({ ...lead1, address: { postalCode: '75002' } });
    book.observe({ ...lead2, email: 'marc.petit@acme-industrie.fr', address: { postalCode: '75002' } });
    expect(book.all()).toHaveLength(2);
  });
});

describe('customer master: order does not matter', () => {
  // Six observations: 720 arrival orders.
  const observations: CustomerObservation[] = [
    lead1,
    prospect,
    x3Customer,
    {
      ...x3Customer,
      observedAt: at('2026-11-21T07:45:00Z'),
      address: { line1: '8 avenue Jean Jaurès', city: 'Lyon', postalCode: '69007', countryCode: 'FR' },
    },
    { ...lead1, observedAt: at('2026-11-22T10:00:00Z'), phone: '+33478000000', companyName: 'Acme (SF)' },
    {
      ...prospect,
      observedAt: at('2026-11-23T10:00:00Z'),
      pardotScore: 112,
      customFields: { Webinar_Topic__c: 'Kafka' },
    },
  ];

  const permutations = <T>(items: T[]): T[][] =>
    items.length <= 1
      ? [items]
      : items.flatMap((item, i) =>
          permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
        );

  it('every arrival order of the same observations gives the same golden values, provenance and cross-references', () => {
    const business = (golden: GoldenCustomer) => {
      const { goldenId: _id, version: _version, ...rest } = golden;
      return rest;
    };
    const outcomes = new Set(
      permutations(observations).map((order) => {
        const book = new GoldenRecordBook();
        order.forEach((observation) => book.observe(observation));
        return canonicalJson(business(book.only()));
      }),
    );
    expect(outcomes.size).toBe(1);
    const golden = JSON.parse([...outcomes][0] as string) as GoldenCustomer;
    expect(golden).toMatchObject({
      phone: '+33478000000',
      companyName: 'Acme Industrie SARL',
      pardotScore: 112,
      address: { city: 'Lyon' },
    });
  });
});
