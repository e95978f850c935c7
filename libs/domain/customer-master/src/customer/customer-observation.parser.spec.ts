import { describe, expect, it } from 'vitest';
import { InvalidCustomerObservationError, parseCustomerObservation } from './customer-observation.parser.js';

const valid = {
  sourceSystem: 'PARDOT',
  sourceEntity: 'Prospect',
  sourceId: '48213377',
  observedAt: 1795187700000,
  email: 'jane.doe@acme-industrie.fr',
  phone: '+33142685300',
  address: { countryCode: 'FR', line2: null },
};

function problemsOf(value: unknown): readonly string[] {
  try {
    parseCustomerObservation(value);
    return [];
  } catch (error) {
    if (error instanceof InvalidCustomerObservationError) return error.problems;
    throw error;
  }
}

describe('parseCustomerObservation', () => {
  it('accepts a canonical observation and keeps unknown (absent) apart from cleared (null)', () => {
    const observation = parseCustomerObservation(valid);
    expect(observation.address).toEqual({ countryCode: 'FR', line2: null });
    expect('companyName' in observation).toBe(false);
  });

  it('names each field that is not canonical and why', () => {
    expect(
      problemsOf({
        ...valid,
        email: 'Jane@Acme.com',
        phone: '01 42 68 53 00',
        address: { countryCode: 'France' },
        currencyCode: 'EURO',
        observedAt: '2026-11-20',
        pardotScore: 'high',
      }),
    ).toEqual([
      'observedAt must be a number, not "2026-11-20"',
      'email must be a valid email address in canonical (trimmed, lower-case) form',
      'phone must be an E.164 phone number such as +33142685300',
      'address.countryCode must be an ISO 3166-1 alpha-2 code such as FR',
      'currencyCode must be an ISO 4217 code such as EUR',
      'pardotScore must be a number, not "high"',
    ]);
  });

  it('refuses a misspelt field instead of losing its value', () => {
    expect(problemsOf({ ...valid, compnayName: 'Acme' })).toEqual(['unknown field compnayName']);
  });

  it('refuses an entity that the system does not have', () => {
    expect(problemsOf({ ...valid, sourceEntity: 'Lead' })).toEqual([
      'sourceEntity Lead does not come from PARDOT (expected Prospect)',
    ]);
  });

  it('requires the identity and the source time', () => {
    expect(problemsOf({ sourceSystem: 'X3', sourceEntity: 'BPCUSTOMER' })).toEqual([
      'sourceId is required',
      'observedAt is required',
    ]);
  });
});
