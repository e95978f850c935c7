import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSurvivorshipPolicy } from './survivorship-policy.parser.js';

describe('parseSurvivorshipPolicy', () => {
  it('reads the shipped policy: X3 owns the company, address and financial data, Pardot its scores', () => {
    const policy = parseSurvivorshipPolicy(
      readFileSync(new URL('../../../../../config/survivorship.yaml', import.meta.url), 'utf8'),
      'config/survivorship.yaml',
    );
    expect(policy.fields.address).toEqual({
      kind: 'system-of-record',
      system: 'X3',
      otherwise: 'last-writer-wins',
    });
    expect(policy.fields.creditStatus).toEqual({ kind: 'system-of-record', system: 'X3', otherwise: 'none' });
    expect(policy.fields.pardotGrade).toEqual({
      kind: 'system-of-record',
      system: 'PARDOT',
      otherwise: 'none',
    });
    expect(policy.fields.email).toEqual({ kind: 'last-writer-wins' });
    expect(policy.tieBreak).toEqual(['X3', 'SALESFORCE', 'PARDOT']);
  });

  it('applies the default rule to fields the file does not name', () => {
    const policy = parseSurvivorshipPolicy(
      'version: 1\ndefault: { rule: source-priority, systems: [X3, PARDOT] }\nfields: {}\n',
      's.yaml',
    );
    expect(policy.fields.phone).toEqual({ kind: 'source-priority', systems: ['X3', 'PARDOT'] });
    expect(policy.customFields).toEqual({ kind: 'source-priority', systems: ['X3', 'PARDOT'] });
  });

  it('names the line of every mistake', () => {
    const text = `version: 1
default: { rule: last-writer-wins }
fields:
  adress: { rule: system-of-record, system: X3 }
  phone: { rule: system-of-record }
  email: { rule: last-writer-wins, system: X3 }
  firstName: { rule: source-priority, systems: [SALESFORCE, SALESFORCE] }
`;
    expect(() => parseSurvivorshipPolicy(text, 'config/survivorship.yaml')).toThrow(
      [
        'config/survivorship.yaml is not valid (4 problems):',
        '  config/survivorship.yaml:4:3: fields.adress: "adress" is not a mastered field; the fields are email, firstName, lastName, companyName, phone, address, customerCode, customerGroup, currencyCode, paymentTerms, creditStatus, totalRevenue, lastPurchaseDate, industrySegment, pardotGrade, pardotScore (custom fields use customFields:)',
        '  config/survivorship.yaml:5:3: fields.phone: a system-of-record rule names its system: X3, SALESFORCE or PARDOT',
        '  config/survivorship.yaml:6:44: fields.email.system: system only applies to rule: system-of-record',
        '  config/survivorship.yaml:7:39: fields.firstName.systems: lists a system twice',
      ].join('\n'),
    );
  });

  it('refuses a system it does not know', () => {
    expect(() =>
      parseSurvivorshipPolicy(
        'version: 1\ndefault: { rule: system-of-record, system: SAP }\nfields: {}\n',
        's.yaml',
      ),
    ).toThrow('s.yaml:2:44: default.system: must be one of "X3", "SALESFORCE", "PARDOT", not "SAP"');
  });
});
