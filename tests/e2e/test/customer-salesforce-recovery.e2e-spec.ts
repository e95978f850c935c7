import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@pardot-x3/canonical';
import { waitFor } from '@pardot-x3/testing';
import { CustomerFlowWorld, decodeWithRegistry } from './customer-flow.fixture.js';

/**
 * Salesforce changes CDC could not deliver are not lost, every service its own process: a GAP event
 * makes salesforce-ingest read the records by id; a stored replay id Salesforce no longer accepts
 * (older than the 72 h retention) makes it re-read the missed window by SystemModstamp instead of
 * skipping it — the change made while it was stopped reaches the golden record.
 */

const BASE = 20060;
let world: CustomerFlowWorld;
let leadId: string;

interface SourceEvent {
  via: string;
  changeType: string;
  fields: Record<string, unknown>;
}

async function leadEvents(): Promise<SourceEvent[]> {
  const messages = (await world.allMessages(TOPICS.salesforceLeadChangedV1, 2_000)).filter(
    (m) => m.key === leadId,
  );
  return Promise.all(
    messages.map(async (m) => (await decodeWithRegistry(m.value as Buffer)).value as unknown as SourceEvent),
  );
}

async function goldenPhone(): Promise<unknown> {
  const response = await fetch(`${world.url('mdm')}/golden-customers/by-source/SALESFORCE/Lead/${leadId}`, {
    headers: world.auth(),
  });
  return response.status === 200
    ? ((await response.json()) as { fields: { phone?: string } }).fields.phone
    : undefined;
}

describe('Salesforce changes CDC could not deliver are read again', () => {
  beforeAll(async () => {
    world = await CustomerFlowWorld.start({
      label: 'customer-salesforce-recovery',
      basePort: BASE,
      seedCounts: {
        companies: 1,
        contacts: 1,
        leads: 0,
        products: 1,
        sites: 1,
        opportunities: 0,
        visitorActivities: 0,
      },
      // CDC alone: the SOQL reconciliation would read the missed change too and hide what is tested here.
      serviceEnv: { 'salesforce-ingest': { SALESFORCE_RECONCILE_INTERVAL_MS: '0' } },
    });
    leadId = (
      await world.salesforceApi<{ id: string }>('POST', 'sobjects/Lead', {
        FirstName: 'Grace',
        LastName: 'Recovery',
        Company: 'Recovery Works',
        Email: 'grace@recovery.example',
        Phone: '+33 6 11 11 11 11',
      })
    ).id;
    await waitFor(async () => (await goldenPhone()) === '+33611111111', {
      timeoutMs: 60_000,
      description: 'the Lead in its golden record',
    });
  }, 240_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('reads the records of a GAP event by id', async () => {
    await world.salesforce.admin('POST', '/salesforce/change-events/gap', {
      entityName: 'Lead',
      recordIds: [leadId],
      changeType: 'GAP_UPDATE',
    });
    const read = await waitFor(
      async () =>
        (await leadEvents()).find(
          (e) => e.via === 'CDC' && e.changeType === 'UPDATED' && e.fields['Company'] === 'Recovery Works',
        ),
      { timeoutMs: 30_000, description: 'the Lead read by id after the GAP event' },
    );
    expect(read.fields['Email']).toBe('grace@recovery.example');
  });

  it('re-reads the missed window when the stored replay id has expired', async () => {
    await world.service('salesforce-ingest').stop();
    await world.salesforceApi('PATCH', `sobjects/Lead/${leadId}`, { Phone: '+33 6 22 22 22 22' });
    // Every retained event expires, as if salesforce-ingest had been down longer than 72 hours.
    await world.salesforce.admin('POST', '/salesforce/change-events/expire', {});
    await world.startService('salesforce-ingest');
    await waitFor(async () => (await goldenPhone()) === '+33622222222', {
      timeoutMs: 60_000,
      description: 'the change made while salesforce-ingest was down in the golden record',
    });
    const repaired = (await leadEvents()).filter((e) => e.via === 'BACKFILL');
    expect(repaired.length).toBeGreaterThan(0);
    expect(repaired.at(-1)?.fields['Phone']).toBe('+33 6 22 22 22 22');
  });
});
