import { describe, expect, it } from 'vitest';
import type { CustomerObservation, GoldenCustomer } from '../customer/customer.types.js';
import { parseMatchingPolicy } from '../matching/matching-policy.parser.js';
import { parseSurvivorshipPolicy } from '../survivorship/survivorship-policy.parser.js';
import { decideCustomerMaster } from './customer-master.decider.js';

const policies = {
  matching: parseMatchingPolicy(
    'version: 1\nrules:\n  - { name: normalised-email, fields: [email], canMerge: true }\n',
    'matching.yaml',
  ),
  survivorship: parseSurvivorshipPolicy(
    'version: 1\ndefault: { rule: last-writer-wins }\ncustomFields: { rule: last-writer-wins }\nfields: {}\n',
    'survivorship.yaml',
  ),
};

describe('two edits of one record within the same second', () => {
  it('keep the value that came second (sources stamp changes in whole seconds)', () => {
    const lead: CustomerObservation = {
      sourceSystem: 'SALESFORCE',
      sourceEntity: 'Lead',
      sourceId: '00Q5g00000Ab12CEAR',
      observedAt: Date.parse('2026-11-26T10:00:00Z'),
      email: 'jane@acme.fr',
      phone: '+33612349999',
    };
    let golden: GoldenCustomer = decideCustomerMaster({
      observation: lead,
      candidates: [],
      policies,
      newGoldenId: () => 'g-1',
    }).golden;
    for (const phone of ['+33612341111', '+33612345555', '+33612340000']) {
      golden = decideCustomerMaster({
        observation: { ...lead, phone },
        candidates: [golden],
        policies,
        newGoldenId: () => 'g-2',
      }).golden;
      expect(golden.phone).toBe(phone);
    }
  });

  it('still let another record with the same time stamp lose or win by the policy, not by arrival', () => {
    const a: CustomerObservation = {
      sourceSystem: 'SALESFORCE',
      sourceEntity: 'Lead',
      sourceId: '00Q5g00000Ab12CEAR',
      observedAt: 1_000,
      email: 'jane@acme.fr',
      phone: '+33612341111',
    };
    const b: CustomerObservation = {
      ...a,
      sourceSystem: 'PARDOT',
      sourceEntity: 'Prospect',
      sourceId: '100001',
      phone: '+33612342222',
    };
    const first = decideCustomerMaster({
      observation: a,
      candidates: [],
      policies,
      newGoldenId: () => 'g-1',
    }).golden;
    const ab = decideCustomerMaster({
      observation: b,
      candidates: [first],
      policies,
      newGoldenId: () => 'g-x',
    }).golden;
    const firstB = decideCustomerMaster({
      observation: b,
      candidates: [],
      policies,
      newGoldenId: () => 'g-1',
    }).golden;
    const ba = decideCustomerMaster({
      observation: a,
      candidates: [firstB],
      policies,
      newGoldenId: () => 'g-x',
    }).golden;
    expect(ab.phone).toBe(ba.phone);
  });
});

describe('links: a source naming another record as the same customer', () => {
  const account: CustomerObservation = {
    sourceSystem: 'SALESFORCE',
    sourceEntity: 'Account',
    sourceId: '0015g00000AbCdEAAZ',
    observedAt: 1_000,
    companyName: 'Acme Industrie',
  };
  const accountGolden = decideCustomerMaster({
    observation: account,
    candidates: [],
    policies,
    newGoldenId: () => 'g-account',
  }).golden;
  const created: CustomerObservation = {
    sourceSystem: 'X3',
    sourceEntity: 'BPCUSTOMER',
    sourceId: 'C00042',
    observedAt: 2_000,
    companyName: 'Acme Industrie SA',
    customerCode: 'C00042',
  };

  it("join the linked record's golden record instead of creating another", () => {
    const decision = decideCustomerMaster({
      observation: created,
      candidates: [accountGolden],
      links: [{ system: 'SALESFORCE', entity: 'Account', sourceId: '0015g00000AbCdEAAZ' }],
      policies,
      newGoldenId: () => 'g-new',
    });
    expect(decision.action).toBe('update');
    expect(decision.golden.goldenId).toBe('g-account');
    expect(decision.golden.xrefs.x3CustomerCodes).toEqual(['C00042']);
    expect(decision.explanation).toMatch(/names SALESFORCE Account 0015g00000AbCdEAAZ as the same customer/);
  });

  it('without the link, the same observation is a new customer', () => {
    const decision = decideCustomerMaster({
      observation: created,
      candidates: [accountGolden],
      policies,
      newGoldenId: () => 'g-new',
    });
    expect(decision.action).toBe('create');
  });
});
