import { describe, expect, it } from 'vitest';
import { MappingCatalog, UnknownTemplateError } from '../catalog/mapping-catalog.js';
import { parseMappingTemplate } from '../template/mapping-template.parser.js';
import { MappingRejectedError } from './mapping-rejected.error.js';
import { mapRecord } from './mapping.engine.js';
import type { MappingResult } from './mapping-result.types.js';

const template = (body: string, name = 'lead-to-canonical', version = 1) =>
  parseMappingTemplate(
    `template: ${name}\nversion: ${version}\nsource: { system: SALESFORCE, entity: Lead, id: Id }\ntarget: { system: CANONICAL, entity: CustomerObservation }\n${body}`,
    `${name}.yaml`,
  );

const mapped = (result: MappingResult) => {
  if (result.outcome !== 'mapped')
    throw new Error(`expected mapped, got ${result.outcome}: ${JSON.stringify(result)}`);
  return result;
};
const rejected = (result: MappingResult) => {
  if (result.outcome !== 'rejected') throw new Error(`expected rejected, got ${result.outcome}`);
  return result;
};

describe('mapRecord: unknown is not cleared', () => {
  const names = template(
    'fields:\n  firstName: { from: FirstName, as: text }\n  lastName: { from: LastName, as: text }\n  phone: { from: Phone, as: phone, defaultCountry: FR }\n',
  );

  it('leaves out a field the source does not carry, so the master record keeps what it knows', () => {
    const result = mapped(mapRecord(names, { Id: '00Q1', FirstName: 'Jane' }));
    expect(result.record).toEqual({ firstName: 'Jane' });
    expect(result.trace.find((t) => t.field === 'lastName')?.outcome).toBe('unknown');
  });

  it('writes null for a field the source says is empty, so the value is cleared downstream', () => {
    const result = mapped(mapRecord(names, { Id: '00Q1', FirstName: 'Jane', LastName: null, Phone: '   ' }));
    expect(result.record).toEqual({ firstName: 'Jane', lastName: null, phone: null });
    expect(result.trace.filter((t) => t.outcome === 'cleared').map((t) => t.field)).toEqual([
      'lastName',
      'phone',
    ]);
  });

  it('treats sentinel values a template lists as empty (X3 writes 0000-00-00 for no date)', () => {
    const dates = template(
      'fields:\n  lastPurchaseDate: { from: YLASTORDDAT, as: date, emptyValues: ["0000-00-00"] }\n',
    );
    expect(mapped(mapRecord(dates, { YLASTORDDAT: '0000-00-00' })).record).toEqual({
      lastPurchaseDate: null,
    });
  });
});

describe('mapRecord: bad input is rejected with every problem named, never a crash', () => {
  const lead = template(`fields:
  email: { from: Email, as: email }
  countryCode: { from: Country, as: country }
  currencyCode: { from: CurrencyIsoCode, as: currency }
  annualRevenue: { from: AnnualRevenue, as: decimal }
  lastName: { from: LastName, as: text, required: true }
`);

  it('names the field, the value, where it came from and what is wrong with it', () => {
    const result = rejected(
      mapRecord(lead, {
        Id: '00Q5g00000Ab12CEAR',
        Email: 'jane@@acme.com',
        Country: 'Atlantis',
        CurrencyIsoCode: 'EURO',
        AnnualRevenue: 'about 2M',
        LastName: '',
      }),
    );
    expect(result.recordId).toBe('00Q5g00000Ab12CEAR');
    expect(result.problems.map((p) => [p.field, p.code])).toEqual([
      ['email', 'invalid-email'],
      ['countryCode', 'unknown-country'],
      ['currencyCode', 'unknown-currency'],
      ['annualRevenue', 'not-a-number'],
      ['lastName', 'required'],
    ]);
    expect(result.problems[0]).toEqual({
      field: 'email',
      code: 'invalid-email',
      message: `email: "jane@@acme.com" (from Email) is not a valid email address: it has more than one '@'`,
      sourcePath: 'Email',
      value: 'jane@@acme.com',
    });
    expect(result.problems[3]?.message).toBe(
      'annualRevenue: "about 2M" (from AnnualRevenue) is not a number',
    );
    expect(result.problems[4]?.message).toBe('lastName is required, but LastName is empty');
  });

  it('wraps a rejection in an error whose message a dead-letter reader understands', () => {
    const result = rejected(mapRecord(lead, { Id: '00Q1', Email: 'nobody', LastName: 'Doe' }));
    expect(new MappingRejectedError(result).message).toBe(
      `lead-to-canonical@1 rejected record 00Q1: email: "nobody" (from Email) is not a valid email address: it has no '@'`,
    );
  });

  it('rejects a source that is not a record at all', () => {
    expect(rejected(mapRecord(lead, ['not', 'a', 'record'])).problems[0]?.message).toBe(
      'the source record is a list, not a record of Lead',
    );
  });

  it('with onInvalid: warn, leaves the field unknown and reports a warning instead of rejecting', () => {
    const lenient = template(
      'fields:\n  phone: { from: Phone, as: phone, defaultCountry: FR, onInvalid: warn }\n  lastName: LastName\n',
    );
    const result = mapped(mapRecord(lenient, { Phone: 'call reception', LastName: 'Doe' }));
    expect(result.record).toEqual({ lastName: 'Doe' });
    expect(result.warnings).toEqual([
      expect.objectContaining({
        field: 'phone',
        code: 'invalid-phone',
        message: 'phone: "call reception" (from Phone) is not a phone number; left unknown',
      }),
    ]);
    expect(result.quarantined).toEqual([
      { field: 'phone', rule: 'invalid-phone', reason: 'is not a phone number', sourceField: 'Phone' },
    ]);
  });

  it('quarantines nothing for a valid value, and never a field whose rule rejects', () => {
    const lenient = template(
      'fields:\n  email: { from: Email, as: email }\n  phone: { from: Phone, as: phone, onInvalid: warn }\n',
    );
    expect(mapped(mapRecord(lenient, { Phone: '+33 1 42 68 53 00' })).quarantined).toEqual([]);
    const result = rejected(mapRecord(lenient, { Email: 'jane@@acme.example', Phone: 'nope' }));
    expect(result.problems.map((p) => p.field)).toEqual(['email']);
    expect(result.warnings.map((w) => w.field)).toEqual(['phone']);
  });
});

describe('mapRecord: field mapping', () => {
  it('takes the first source path that holds a value', () => {
    const city = template('fields:\n  city: { from: [MailingCity, BillingCity], as: text }\n');
    expect(mapped(mapRecord(city, { MailingCity: null, BillingCity: 'Lyon' })).record).toEqual({
      city: 'Lyon',
    });
    expect(mapped(mapRecord(city, { MailingCity: '', BillingCity: null })).record).toEqual({ city: null });
    expect(mapped(mapRecord(city, {})).record).toEqual({});
  });

  it('reads nested records and list positions', () => {
    const nested = template('fields:\n  companyName: Account.Name\n  email: { from: WEB.0, as: email }\n');
    expect(
      mapped(mapRecord(nested, { Account: { Name: 'Acme' }, WEB: ['Jane@Acme.com', ''] })).record,
    ).toEqual({ companyName: 'Acme', email: 'jane@acme.com' });
  });

  it('writes dotted output paths as nested records', () => {
    const address = template(
      'fields:\n  address.city: City\n  address.countryCode: { from: Country, as: country }\n',
    );
    expect(mapped(mapRecord(address, { City: 'Paris', Country: 'France' })).record).toEqual({
      address: { city: 'Paris', countryCode: 'FR' },
    });
  });

  it('joins parts, skipping empty ones', () => {
    const street = template('fields:\n  MailingStreet: { join: [line1, line2], separator: "\\n" }\n');
    expect(mapped(mapRecord(street, { line1: '12 rue de la Paix', line2: null })).record).toEqual({
      MailingStreet: '12 rue de la Paix',
    });
    expect(mapped(mapRecord(street, { line1: '12 rue de la Paix', line2: 'Bât. B' })).record).toEqual({
      MailingStreet: '12 rue de la Paix\nBât. B',
    });
  });

  it('builds a list keeping positions (X3 address lines)', () => {
    const lines = template('fields:\n  BPAADDLIG: { list: [line1, line2, line3] }\n');
    expect(
      mapped(mapRecord(lines, { line1: '12 rue de la Paix', line2: null, line3: 'Bât. B' })).record,
    ).toEqual({ BPAADDLIG: ['12 rue de la Paix', '', 'Bât. B'] });
  });

  it('uses constants and defaults, and says in the trace which applied', () => {
    const withDefaults = template(
      'fields:\n  sourceSystem: { const: SALESFORCE }\n  currencyCode: { from: CurrencyIsoCode, as: currency, default: EUR }\n',
    );
    const result = mapped(mapRecord(withDefaults, {}));
    expect(result.record).toEqual({ sourceSystem: 'SALESFORCE', currencyCode: 'EUR' });
    expect(result.trace.map((t) => [t.field, t.outcome, t.rule])).toEqual([
      ['sourceSystem', 'set', 'constant "SALESFORCE"'],
      ['currencyCode', 'defaulted', 'from CurrencyIsoCode, as currency, default "EUR"'],
    ]);
  });

  it('reads the phone number in the country the record itself gives', () => {
    const phone = template(
      'fields:\n  phone: { from: Phone, as: phone, defaultCountry: { from: [CountryCode, Country] } }\n',
    );
    expect(mapped(mapRecord(phone, { Phone: '020 7946 0958', Country: 'United Kingdom' })).record).toEqual({
      phone: '+442079460958',
    });
    expect(rejected(mapRecord(phone, { Phone: '020 7946 0958' })).problems[0]?.code).toBe('invalid-phone');
  });

  it('keeps a phone extension visible as a warning, since E.164 cannot hold it', () => {
    const phone = template('fields:\n  phone: { from: Phone, as: phone }\n');
    const result = mapped(mapRecord(phone, { Phone: '+1 212 555 0147 ext. 12' }));
    expect(result.record).toEqual({ phone: '+12125550147' });
    expect(result.warnings.map((w) => w.code)).toEqual(['information-lost']);
  });
});

describe('mapRecord: value translation', () => {
  const grades = (otherwise = '') =>
    template(`translations:
  pardot-grade-to-x3-category:
    ignoreCase: true
    entries:
      A: { value: HVC, label: High-Value Customer }
      B: STD
${otherwise}
fields:
  BCGCOD: { from: grade, translate: pardot-grade-to-x3-category }
`);

  it("turns Pardot grade 'A' into the X3 category for High-Value Customers, whatever the case and spacing", () => {
    const result = mapped(mapRecord(grades(), { grade: ' a ' }));
    expect(result.record).toEqual({ BCGCOD: 'HVC' });
    expect(result.trace[0]?.note).toBe('"a" → "HVC" (High-Value Customer) via pardot-grade-to-x3-category');
  });

  it('rejects a value the table does not know, listing the known ones', () => {
    expect(rejected(mapRecord(grades(), { grade: 'C' })).problems[0]?.message).toBe(
      'BCGCOD: "C" (from grade) has no translation in the table pardot-grade-to-x3-category (known values: "a", "b")',
    );
  });

  it('keeps an unknown value when the table says otherwise: keep', () => {
    expect(mapped(mapRecord(grades('    otherwise: keep'), { grade: 'C' })).record).toEqual({ BCGCOD: 'C' });
  });

  it('uses the otherwise value, which may clear the field', () => {
    expect(mapped(mapRecord(grades('    otherwise: { value: null }'), { grade: 'C' })).record).toEqual({
      BCGCOD: null,
    });
  });
});

describe('mapRecord: conditional rules', () => {
  it('skips the whole record when the template condition fails, and says why', () => {
    const won = template(
      'when:\n  all:\n    - { field: StageName, equals: Closed Won }\n    - { field: OpportunityLineItems.records, present: true }\nfields:\n  id: Id\n',
    );
    const result = mapRecord(won, {
      Id: '006A',
      StageName: 'Negotiation/Review',
      OpportunityLineItems: { records: [] },
    });
    expect(result).toMatchObject({
      outcome: 'skipped',
      recordId: '006A',
      reason: 'StageName is "Negotiation/Review", not "Closed Won" and OpportunityLineItems.records is empty',
    });
    expect(
      mapRecord(won, { Id: '006A', StageName: 'Closed Won', OpportunityLineItems: { records: [{}] } })
        .outcome,
    ).toBe('mapped');
  });

  it('sets a field only when its own condition holds', () => {
    const vip = template(
      'fields:\n  segment: { const: Key Account, when: { field: AnnualRevenue, greaterThan: 1000000 } }\n',
    );
    expect(mapped(mapRecord(vip, { AnnualRevenue: 5_000_000 })).record).toEqual({ segment: 'Key Account' });
    const small = mapped(mapRecord(vip, { AnnualRevenue: '20000' }));
    expect(small.record).toEqual({});
    expect(small.trace[0]).toMatchObject({
      outcome: 'skipped',
      note: 'AnnualRevenue is "20000", not greater than 1000000',
    });
  });

  it('supports any, not, in and case-insensitive matching', () => {
    const rule = template(
      'when:\n  any:\n    - { field: Status, in: [Qualified, Converted], ignoreCase: true }\n    - not: { field: Email, matches: "@example\\\\.com$" }\nfields:\n  id: Id\n',
    );
    expect(mapRecord(rule, { Id: '1', Status: 'qualified', Email: 'a@example.com' }).outcome).toBe('mapped');
    expect(mapRecord(rule, { Id: '2', Status: 'Open', Email: 'a@acme.com' }).outcome).toBe('mapped');
    expect(mapRecord(rule, { Id: '3', Status: 'Open', Email: 'a@example.com' }).outcome).toBe('skipped');
  });
});

describe('mapRecord: lists of items', () => {
  const order = template(`fields:
  lines:
    each: OpportunityLineItems.records
    required: true
    fields:
      productCode: { from: [ProductCode, Product2.ProductCode], as: text, case: upper, required: true }
      quantity: { from: Quantity, as: decimal, required: true }
      currencyCode: { from: $root.CurrencyIsoCode, as: currency }
`);

  it('maps every item, reading the parent record with $root', () => {
    const result = mapped(
      mapRecord(order, {
        CurrencyIsoCode: 'EUR',
        OpportunityLineItems: {
          records: [
            { ProductCode: 'bms-400', Quantity: 12 },
            { Product2: { ProductCode: 'SVC' }, Quantity: '2.5' },
          ],
        },
      }),
    );
    expect(result.record).toEqual({
      lines: [
        { productCode: 'BMS-400', quantity: '12', currencyCode: 'EUR' },
        { productCode: 'SVC', quantity: '2.5', currencyCode: 'EUR' },
      ],
    });
  });

  it('names the item that is wrong', () => {
    const result = rejected(
      mapRecord(order, {
        OpportunityLineItems: { records: [{ ProductCode: 'BMS-400', Quantity: 1 }, { Quantity: 'two' }] },
      }),
    );
    expect(result.problems.map((p) => p.message)).toEqual([
      'lines[1].productCode is required, but none of ProductCode, Product2.ProductCode has a value',
      'lines[1].quantity: "two" (from Quantity) is not a number',
    ]);
  });

  it('rejects a required list that is empty, and something that is not a list', () => {
    expect(rejected(mapRecord(order, { OpportunityLineItems: { records: [] } })).problems[0]?.message).toBe(
      'lines is required, but OpportunityLineItems.records is an empty list',
    );
    expect(
      rejected(mapRecord(order, { OpportunityLineItems: { records: 'none' } })).problems[0]?.message,
    ).toBe('lines: OpportunityLineItems.records is text, not a list');
  });
});

describe('mapRecord: nothing is dropped unseen', () => {
  const lead = template(
    'fields:\n  lastName: LastName\n  segment: Industry_Segment__c\npassThrough:\n  - match: "*__c"\n    into: customFields\n    except: [Internal__c]\n',
  );

  it('copies unmapped custom fields as text and lists the source fields nobody used', () => {
    const result = mapped(
      mapRecord(lead, {
        attributes: { type: 'Lead' },
        LastName: 'Doe',
        Industry_Segment__c: 'Retail',
        Preferred_Language__c: 'fr',
        Budget__c: 12000,
        Consent__c: null,
        Internal__c: 'x',
        Status: 'Open',
      }),
    );
    expect(result.record).toEqual({
      lastName: 'Doe',
      segment: 'Retail',
      customFields: { Preferred_Language__c: 'fr', Budget__c: '12000', Consent__c: null },
    });
    expect(result.unmappedSourceFields).toEqual(['Internal__c', 'Status']);
  });
});

describe('MappingCatalog', () => {
  const v1 = template('fields:\n  a: A\n', 'lead-to-canonical', 1);
  const v2 = template('fields:\n  a: B\n', 'lead-to-canonical', 2);

  it('gives the newest version by default and any loaded version on request (replays pin one)', () => {
    const catalog = MappingCatalog.of([v1, v2]);
    expect(catalog.get('lead-to-canonical').id).toBe('lead-to-canonical@2');
    expect(catalog.get('lead-to-canonical', 1).id).toBe('lead-to-canonical@1');
    expect(catalog.forSource('SALESFORCE', 'Lead').map((t) => t.id)).toEqual(['lead-to-canonical@2']);
  });

  it('names the known templates when asked for an unknown one', () => {
    expect(() => MappingCatalog.of([v1]).get('contact-to-canonical')).toThrow(
      new UnknownTemplateError('contact-to-canonical', undefined, ['lead-to-canonical@1']),
    );
  });

  it('refuses the same name and version twice', () => {
    expect(() => MappingCatalog.of([v1, v1])).toThrow(
      'lead-to-canonical@1 is defined twice: in lead-to-canonical.yaml and in lead-to-canonical.yaml',
    );
  });
});
