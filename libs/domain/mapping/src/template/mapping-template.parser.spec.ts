import { describe, expect, it } from 'vitest';
import { ConfigFileError } from '../config-file/config-file.error.js';
import { parseMappingTemplate } from './mapping-template.parser.js';

const header = `template: sample-to-canonical
version: 2
source: { system: X3, entity: BPCUSTOMER, id: BPCNUM }
target: { system: CANONICAL, entity: CustomerObservation }
`;

function problemsOf(text: string): string[] {
  try {
    parseMappingTemplate(text, 'config/mappings/sample.yaml');
  } catch (error) {
    if (error instanceof ConfigFileError)
      return error.issues.map(
        (issue) => `${issue.line}:${issue.column} ${issue.path ? `${issue.path}: ` : ''}${issue.message}`,
      );
    throw error;
  }
  return [];
}

describe('parseMappingTemplate', () => {
  it('loads a template with its id, rules, translation tables and pass-through', () => {
    const template = parseMappingTemplate(
      `${header}translations:
  grades:
    ignoreCase: true
    entries:
      A: { value: HVC, label: High-Value Customer }
      B: STD
fields:
  companyName: BPCNAM
  email: { from: [WEB.0, WEB], as: email, required: true }
  category: { from: grade, translate: grades }
passThrough:
  - match: "*__c"
    into: customFields
`,
      'config/mappings/sample.yaml',
    );
    expect(template.id).toBe('sample-to-canonical@2');
    expect(template.fields.map((rule) => rule.target)).toEqual(['companyName', 'email', 'category']);
    expect(template.fields[0]?.source).toEqual({ kind: 'path', paths: ['BPCNAM'] });
    expect(template.translations.get('grades')?.entries.get('a')).toEqual({
      value: 'HVC',
      label: 'High-Value Customer',
    });
    expect(template.passThrough).toEqual([{ match: '*__c', into: 'customFields', except: [] }]);
  });

  it('points at the line of a YAML syntax error', () => {
    expect(problemsOf(`${header}fields:\n  email: { from: Email, as: email\n`)).toEqual([
      expect.stringMatching(/^7:1 Flow map .* must .* end with a }/),
    ]);
  });

  it('says the file is empty', () => {
    expect(problemsOf('')).toEqual(['0:0 the file is empty']);
  });

  it('names a misspelt key at its own line and column', () => {
    expect(problemsOf(`${header}fields:\n  email:\n    form: Email\n`)).toEqual([
      '7:5 fields.email.form: unknown key "form"',
    ]);
  });

  it('says where a rule gives no source', () => {
    expect(problemsOf(`${header}fields:\n  email:\n    as: email\n`)).toEqual([
      '6:3 fields.email: says nowhere where its value comes from: give one of from, const, join, list or each',
    ]);
  });

  it('lists the value types when as: names one that does not exist', () => {
    expect(problemsOf(`${header}fields:\n  email: { from: Email, as: emial }\n`)).toEqual([
      expect.stringMatching(
        /^6:\d+ fields\.email\.as: must be one of "text", "email", "phone", .*, not "emial"$/,
      ),
    ]);
  });

  it('suggests the table meant when translate: names an unknown one', () => {
    const text = `${header}translations:\n  pardot-grades:\n    entries: { A: HVC }\nfields:\n  category: { from: grade, translate: pardot-grade }\n`;
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(
        /^9:\d+ fields\.category\.translate: there is no translation table "pardot-grade" \(did you mean "pardot-grades"\?\)$/,
      ),
    ]);
  });

  it('reports every problem at once, in line order', () => {
    const text = `${header}fields:
  phone: { from: TEL, as: phone, defaultCountry: France }
  name: { from: BPCNAM, const: Acme }
  city: { from: CTY, maxLength: 10 }
  line1: { from: BPAADDLIG, as: address-line }
  address: { from: ADR }
  address.city: { from: CTY }
`;
    expect(problemsOf(text)).toEqual([
      '6:50 fields.phone.defaultCountry: "France" is not an ISO 3166-1 alpha-2 country code',
      '7:3 fields.name: has from and const; give only one of from, const, join, list or each',
      '8:33 fields.city.maxLength: maxLength needs an as: value type it applies to',
      '9:3 fields.line1: as: address-line needs line: (which line, from 1) and of: (how many lines the target has)',
      '11:3 fields.address.city: "address.city" is inside "address", which is mapped as a whole; map one or the other',
    ]);
  });

  it('refuses an option that does not apply to the value type', () => {
    expect(problemsOf(`${header}fields:\n  email: { from: Email, as: email, maxLength: 80 }\n`)).toEqual([
      expect.stringMatching(/fields\.email\.maxLength: maxLength does not apply to as: email$/),
    ]);
  });

  it('refuses a duplicate output field, which YAML would otherwise silently overwrite', () => {
    expect(problemsOf(`${header}fields:\n  email: Email\n  email: EMAIL\n`)).toEqual([
      expect.stringMatching(/^7:3 .*[Mm]ap keys must be unique/),
    ]);
  });

  it('checks conditions: one test per field condition, and regular expressions that compile', () => {
    const text = `${header}when: { field: StageName, equals: Closed Won, in: [Won] }\nfields:\n  a: { from: A, when: { field: B, matches: "([" } }\n`;
    expect(problemsOf(text)).toEqual([
      '5:1 when: a field condition has exactly one test (equals, notEquals, in, notIn, present, matches, greaterThan, lessThan); this one has 2',
      expect.stringMatching(/^7:\d+ fields\.a\.when\.matches: "\(\[" is not a valid regular expression$/),
    ]);
  });

  it('refuses a time zone and a date format it could not apply', () => {
    const text = `${header}fields:\n  at: { from: A, as: timestamp, timeZone: Europe/Pariss }\n  on: { from: B, as: date, format: DD/MM }\n`;
    expect(problemsOf(text)).toEqual([
      expect.stringContaining(
        'fields.at.timeZone: "Europe/Pariss" is not an IANA time zone such as Europe/Paris',
      ),
      expect.stringContaining(
        'fields.on.format: "DD/MM" must contain YYYY, MM and DD once each, e.g. DD/MM/YYYY',
      ),
    ]);
  });

  it('requires a version that is a whole number', () => {
    expect(problemsOf(header.replace('version: 2', 'version: two') + 'fields: {}\n')).toEqual(
      ['2:10 version: must be a whole number, not "two"'].map((s) => s.replace('a whole number', 'a number')),
    );
  });

  it('names missing top-level sections', () => {
    expect(problemsOf('template: x\nversion: 1\n')).toEqual([
      '1:1 source: is required',
      '1:1 target: is required',
      '1:1 fields: is required',
    ]);
  });

  it('requires each: rules to say how items are mapped', () => {
    expect(
      problemsOf(`${header}fields:\n  lines: { each: OpportunityLineItems.records, as: text }\n`),
    ).toEqual([
      '6:3 fields.lines: an each: rule needs fields: saying how every item is mapped',
      expect.stringContaining(
        'fields.lines.as: as does not apply to an each: rule; put it on the item fields',
      ),
    ]);
  });
});
