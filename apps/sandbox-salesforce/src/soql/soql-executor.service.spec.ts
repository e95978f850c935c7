import { describe, expect, it } from 'vitest';
import { SalesforceApiError } from '../errors/salesforce-api.error.js';
import { SObjectStore } from '../sobjects/sobject-store.service.js';
import { SoqlExecutor } from './soql-executor.service.js';
import { parseSoql } from './soql-parser.util.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const context = { userId: '0055g0000000001AAA', changeOrigin: '', transactionKey: 't' };

function org(): { store: SObjectStore; soql: SoqlExecutor; run: (q: string) => Record<string, unknown>[] } {
  let tick = NOW - 10 * 86_400_000;
  const store = new SObjectStore(() => tick);
  store.transaction(context, (tx) => {
    const acme = store.create(tx, 'Account', {
      Name: 'Acme',
      X3_Customer_Code__c: 'C001',
      AnnualRevenue: 500,
    });
    tick = NOW - 2 * 86_400_000;
    const globex = store.create(tx, 'Account', {
      Name: 'globex',
      X3_Customer_Code__c: 'C002',
      AnnualRevenue: 1500,
    });
    store.create(tx, 'Contact', {
      LastName: 'Smith',
      FirstName: 'Ann',
      Email: 'ann@acme.example',
      AccountId: acme['Id'],
    });
    store.create(tx, 'Contact', { LastName: 'Jones', Email: 'bo@globex.example', AccountId: globex['Id'] });
    store.create(tx, 'Contact', { LastName: 'Orphan' });
    const product = store.create(tx, 'Product2', { Name: 'Bike', ProductCode: 'BIK-1' });
    const opp = store.create(tx, 'Opportunity', {
      Name: 'Big deal',
      StageName: 'Closed Won',
      CloseDate: '2026-11-20',
      AccountId: acme['Id'],
    });
    store.create(tx, 'OpportunityLineItem', {
      OpportunityId: opp['Id'],
      Product2Id: product['Id'],
      Quantity: 2,
      UnitPrice: 100,
    });
  });
  const soql = new SoqlExecutor(store, () => NOW);
  return { store, soql, run: (q) => soql.execute(q, { apiVersion: '60.0', includeDeleted: false }).records };
}

function errorOf(fn: () => unknown): SalesforceApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SalesforceApiError) return error;
    throw error;
  }
  throw new Error('expected a SalesforceApiError');
}

describe('SOQL parser', () => {
  it.each([
    'SELECT Id FROM Account',
    "select id, name from account where name = 'Acme' and (AnnualRevenue > 100 or Name like 'g%') order by Name desc nulls last limit 5 offset 1",
    "SELECT Id FROM Contact WHERE Email IN ('a@b.c', 'd@e.f') AND Account.Name != null",
    'SELECT Id FROM Account WHERE LastModifiedDate >= 2026-01-01T00:00:00.000+0000 AND CreatedDate = LAST_N_DAYS:30',
    'SELECT Id, (SELECT Quantity, Product2.ProductCode FROM OpportunityLineItems) FROM Opportunity WHERE IsWon = true',
    'SELECT COUNT() FROM Lead',
    "SELECT Id FROM Account WHERE NOT Name = 'x' AND Name NOT IN ('y')",
  ])('parses %s', (q) => {
    expect(() => parseSoql(q)).not.toThrow();
  });

  it.each([
    ['SELECT FROM Account', "unexpected token: 'FROM'", 8],
    ['SELECT Id Account', "unexpected token: 'Account'", 11],
    ["SELECT Id FROM Account WHERE Name = 'open", "mismatched character '<EOF>'", 37],
    ['SELECT Id FROM Account WHERE', "unexpected token: '<EOF>'", 29],
    ['SELECT Id FROM Account LIMIT x', "unexpected token: 'x'", 30],
    ['SELECT Id FROM Account WHERE Name = Bob', "unexpected token: 'Bob'", 37],
    ['SELECT Id FROM Account ORDER Name', "unexpected token: 'Name'", 30],
  ])('refuses %s with MALFORMED_QUERY at the right column', (q, reason, column) => {
    const error = errorOf(() => parseSoql(q));
    expect(error).toMatchObject({ status: 400, errorCode: 'MALFORMED_QUERY' });
    expect(error.message).toContain(reason);
    expect(error.message).toContain(`ERROR at Row:1:Column:${column}`);
  });
});

describe('SOQL executor', () => {
  it('filters case-insensitively, follows parent paths and orders with nulls first', () => {
    const { run } = org();
    expect(run("SELECT Name FROM Account WHERE Name = 'ACME'").map((r) => r['Name'])).toEqual(['Acme']);
    expect(run("SELECT Name FROM Account WHERE Name LIKE 'G%'").map((r) => r['Name'])).toEqual(['globex']);
    expect(run('SELECT LastName, Account.Name FROM Contact ORDER BY Account.Name')).toEqual([
      expect.objectContaining({ LastName: 'Orphan', Account: null }),
      expect.objectContaining({ LastName: 'Smith', Account: expect.objectContaining({ Name: 'Acme' }) }),
      expect.objectContaining({ LastName: 'Jones', Account: expect.objectContaining({ Name: 'globex' }) }),
    ]);
    expect(
      run("SELECT Name FROM Account WHERE AnnualRevenue >= 1000 OR X3_Customer_Code__c IN ('C001')").map(
        (r) => r['Name'],
      ),
    ).toEqual(['Acme', 'globex']);
    expect(
      run('SELECT Name FROM Account ORDER BY AnnualRevenue DESC LIMIT 1 OFFSET 1').map((r) => r['Name']),
    ).toEqual(['Acme']);
  });

  it('compares datetimes and date literals for pollers', () => {
    const { run } = org();
    expect(
      run('SELECT Name FROM Account WHERE CreatedDate > 2026-11-20T00:00:00Z').map((r) => r['Name']),
    ).toEqual(['globex']);
    expect(run('SELECT Name FROM Account WHERE CreatedDate = LAST_N_DAYS:3').map((r) => r['Name'])).toEqual([
      'globex',
    ]);
    expect(run('SELECT Name FROM Account WHERE CreatedDate < LAST_N_DAYS:3').map((r) => r['Name'])).toEqual([
      'Acme',
    ]);
    expect(run('SELECT Name FROM Opportunity WHERE CloseDate = 2026-11-20').map((r) => r['Name'])).toEqual([
      'Big deal',
    ]);
    expect(run('SELECT CreatedDate FROM Account LIMIT 1')[0]?.['CreatedDate']).toBe(
      '2026-11-16T12:00:00.000+0000',
    );
  });

  it('returns child subqueries, derived fields and COUNT()', () => {
    const { soql, run } = org();
    const [opp] = run(
      'SELECT Name, Amount, IsWon, (SELECT Quantity, ProductCode, Product2.ProductCode FROM OpportunityLineItems) FROM Opportunity',
    );
    expect(opp).toMatchObject({
      Name: 'Big deal',
      Amount: 200,
      IsWon: true,
      OpportunityLineItems: {
        totalSize: 1,
        done: true,
        records: [
          expect.objectContaining({
            Quantity: 2,
            ProductCode: 'BIK-1',
            Product2: expect.objectContaining({ ProductCode: 'BIK-1' }),
          }),
        ],
      },
    });
    expect(
      soql.execute('SELECT COUNT() FROM Contact', { apiVersion: '60.0', includeDeleted: false }),
    ).toEqual({ records: [], totalSize: 3 });
  });

  it('names unknown objects, fields and relationships, and mistyped filter values, as Salesforce does', () => {
    const { run } = org();
    expect(errorOf(() => run('SELECT Id FROM Acount'))).toMatchObject({
      errorCode: 'INVALID_TYPE',
      message: expect.stringContaining("sObject type 'Acount' is not supported"),
    });
    expect(errorOf(() => run('SELECT Nme FROM Account'))).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'Nme' on entity 'Account'"),
    });
    expect(errorOf(() => run('SELECT Acount.Name FROM Contact'))).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("Didn't understand relationship 'Acount'"),
    });
    expect(errorOf(() => run('SELECT Id FROM Account WHERE Name = 5'))).toMatchObject({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      message: expect.stringContaining(
        "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes",
      ),
    });
    expect(errorOf(() => run("SELECT Id FROM Account WHERE AnnualRevenue > '5'"))).toMatchObject({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
    });
    expect(errorOf(() => run('SELECT Id FROM Account OFFSET 2001'))).toMatchObject({
      errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
    });
  });
});
