import { readFileSync } from 'node:fs';
import { ConfigFileError } from '@pardot-x3/mapping';
import { describe, expect, it } from 'vitest';
import type { CustomerObservation } from '../customer/customer.types.js';
import { matchKeysForObservation } from './customer.matcher.js';
import { normaliseMatchValue } from './match-value.normaliser.js';
import { parseMatchingPolicy } from './matching-policy.parser.js';

const shipped = readFileSync(new URL('../../../../../config/matching.yaml', import.meta.url), 'utf8');
const policy = parseMatchingPolicy(shipped, 'config/matching.yaml');

describe('match value normalisation', () => {
  it.each([
    ['email', '  Jane.Doe@ACME-Industrie.fr ', 'jane.doe@acme-industrie.fr'],
    ['companyName', 'ACME Industrie S.A.R.L.', 'acme industrie'],
    ['companyName', 'Acme  Industrie, SARL', 'acme industrie'],
    ['companyName', 'Müller & Söhne GmbH', 'muller and sohne'],
    ['address.postalCode', 'sw1a 1aa', 'SW1A1AA'],
    ['address.postalCode', '75 002', '75002'],
    ['phone', '+33 1 42 68 53 00', '+33142685300'],
    ['lastName', 'Le Bœuf-Déjà', 'le bœuf deja'],
  ] as const)('%s %j compares as %j', (field, value, expected) => {
    expect(normaliseMatchValue(field, value, policy.legalForms)).toBe(expected);
  });
});

describe('match keys', () => {
  const lead: CustomerObservation = {
    sourceSystem: 'SALESFORCE',
    sourceEntity: 'Lead',
    sourceId: '00Q1',
    observedAt: 0,
    email: 'Jane@Acme.com',
    companyName: 'Acme SAS',
    address: { postalCode: '75 002' },
  };

  it('gives the store one key per rule the record can use, plus its identity', () => {
    expect(matchKeysForObservation(lead, policy)).toEqual([
      'xref:SALESFORCE:Lead:00Q1',
      'normalised-email:jane@acme.com',
      'company-and-postcode:acme|75002',
    ]);
  });

  it('gives no key for a rule whose fields the record does not know', () => {
    expect(matchKeysForObservation({ ...lead, email: null, address: null }, policy)).toEqual([
      'xref:SALESFORCE:Lead:00Q1',
    ]);
  });
});

describe('parseMatchingPolicy', () => {
  it('reads the shipped policy: email first and able to merge, company + postcode weaker', () => {
    expect(policy.rules).toEqual([
      { name: 'normalised-email', fields: ['email'], canMerge: true, unlessConflicting: [] },
      {
        name: 'company-and-postcode',
        fields: ['companyName', 'address.postalCode'],
        canMerge: false,
        unlessConflicting: ['email'],
      },
    ]);
  });

  it('points at an unknown field and a duplicate rule name', () => {
    const text =
      'version: 1\nrules:\n  - name: by-email\n    fields: [emial]\n  - name: by-email\n    fields: [email]\n';
    expect(() => parseMatchingPolicy(text, 'matching.yaml')).toThrow(ConfigFileError);
    try {
      parseMatchingPolicy(text, 'matching.yaml');
    } catch (error) {
      expect((error as ConfigFileError).issues.map((i) => `${i.line}: ${i.path}: ${i.message}`)).toEqual([
        expect.stringMatching(/^4: rules\[0\]\.fields\[0\]: must be one of "email", .*, not "emial"$/),
      ]);
    }
    expect(() => parseMatchingPolicy(text.replace('emial', 'email'), 'matching.yaml')).toThrow(
      /matching.yaml:5:11: rules\[1\]\.name: a rule named "by-email" is already defined/,
    );
  });
});
