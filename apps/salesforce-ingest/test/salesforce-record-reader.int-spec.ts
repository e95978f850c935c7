import { SandboxProcess } from '@pardot-x3/flow-testing';
import { SalesforceClient } from '@pardot-x3/salesforce-connector';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceRecordReader } from '../src/salesforce-reads/salesforce-record.reader.js';

const SANDBOX_PORT = 24310;

/**
 * The order flow's read of an Opportunity (moved out of the Salesforce connector, issue 15) against the
 * Salesforce sandbox: the Opportunity, its Account's fields and its line items with their product, in one
 * SOQL call; a deleted or invisible one is no record.
 */
describe('salesforce-ingest: reading an Opportunity for the order flow', () => {
  let salesforce: SandboxProcess;
  let client: SalesforceClient;
  let reader: SalesforceRecordReader;

  beforeAll(async () => {
    salesforce = await SandboxProcess.start('salesforce', SANDBOX_PORT);
    client = SalesforceClient.fromConfig(
      {
        SALESFORCE_LOGIN_URL: salesforce.baseUrl,
        SALESFORCE_API_VERSION: '62.0',
        SALESFORCE_CLIENT_ID: 'PX3SandboxConsumerKey',
        SALESFORCE_CLIENT_SECRET: 'px3-sandbox-consumer-secret',
        SALESFORCE_CALL_CLIENT_ID: 'reader-test',
        SALESFORCE_TIMEOUT_MS: 30_000,
      },
      { registry: new Registry() },
    );
    reader = new SalesforceRecordReader(client);
  });

  afterAll(async () => {
    await salesforce?.stop();
  });

  it('reads a won Opportunity with its Account and its line items with product codes, in one call', async () => {
    const rows = await client.queryAll<{ Id: string; OpportunityLineItems: { totalSize: number } | null }>(
      "SELECT Id, (SELECT Id FROM OpportunityLineItems) FROM Opportunity WHERE StageName = 'Closed Won' ORDER BY Id",
    );
    const won = rows.find((o) => (o.OpportunityLineItems?.totalSize ?? 0) > 0);
    expect(won).toBeDefined();
    const before = (await salesforce.admin<{ requests: unknown[] }>('GET', '/requests')).requests.length;
    const item = await reader.opportunity(won!.Id, 'CDC', 'UPDATED');
    const after = (await salesforce.admin<{ requests: unknown[] }>('GET', '/requests')).requests.length;
    expect(after - before).toBe(1);
    const change = item!.change;
    expect(change).toMatchObject({ system: 'SALESFORCE', entity: 'Opportunity', recordId: won!.Id });
    expect(change.fields).toMatchObject({ Id: won!.Id, StageName: 'Closed Won' });
    expect(change.fields['Account.Id']).toBe(change.fields['AccountId']);
    for (const field of ['X3_Order_Number__c', 'Account.X3_Customer_Code__c', 'Account.BillingCountry'])
      expect(change.fields, field).toHaveProperty([field]);
    expect(change.lines).toHaveLength(won!.OpportunityLineItems!.totalSize);
    for (const line of change.lines) {
      expect(line.entity).toBe('OpportunityLineItem');
      expect(line.fields['Product2.ProductCode']).toEqual(expect.any(String));
    }
  });

  it('gives no record for an Opportunity that does not exist (deleted, or not visible)', async () => {
    expect(await reader.opportunity('006000000000000AAA', 'CDC', 'UPDATED')).toBeUndefined();
  });
});
