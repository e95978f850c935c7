import { describe, expect, it } from 'vitest';
import { soqlDateTime, soqlFieldList, soqlId, soqlName, soqlString } from './soql.util.js';

describe('SOQL builders', () => {
  it('escapes string literals so values cannot change the query', () => {
    expect(soqlString("O'Brien")).toBe("'O\\'Brien'");
    expect(soqlString('back\\slash')).toBe("'back\\\\slash'");
  });

  it('refuses names and ids that are not names and ids', () => {
    expect(soqlName('X3_Customer_Code__c')).toBe('X3_Customer_Code__c');
    expect(soqlName('Product2.ProductCode')).toBe('Product2.ProductCode');
    expect(() => soqlName('Name FROM User --')).toThrow(/not a valid Salesforce/);
    expect(soqlId('0065g00000AbCdEAAZ')).toBe("'0065g00000AbCdEAAZ'");
    expect(() => soqlId("x' OR Name != '")).toThrow(/not a Salesforce record id/);
  });

  it('writes field lists without duplicates and dateTimes in whole UTC seconds', () => {
    expect(soqlFieldList(['Id', 'Name', 'id', 'SystemModstamp'])).toBe('Id, Name, SystemModstamp');
    expect(soqlDateTime(new Date('2026-11-26T10:15:00.987Z'))).toBe('2026-11-26T10:15:00Z');
  });
});
