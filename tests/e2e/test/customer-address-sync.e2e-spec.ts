import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@pardot-x3/testing';
import { TOPICS } from '@pardot-x3/canonical';
import { CustomerFlowWorld, decodeWithRegistry } from './customer-flow.fixture.js';

/**
 * The bidirectional customer master, every service its own process: an address change in Sage X3
 * reaches the Salesforce Contact and the Pardot prospect; a change made in Salesforce to a field X3
 * owns (the address) is not written over X3's; a change to a field Salesforce owns (the first name)
 * becomes the golden value and reaches Pardot.
 */

const BASE = 20030;
const CUSTOMER = 'C00001';
let world: CustomerFlowWorld;
let email: string;
let contactId: string;

interface GoldenView {
  goldenId: string;
  fields: { address?: { line1?: string; city?: string; postalCode?: string }; firstName?: string };
  xrefs: { salesforceContactIds: string[]; x3CustomerCodes: string[] };
}

async function golden(): Promise<GoldenView | undefined> {
  const response = await fetch(`${world.url('mdm')}/golden-customers/lookup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...world.auth() },
    body: JSON.stringify({ email }),
  });
  return response.status === 200 ? ((await response.json()) as GoldenView) : undefined;
}

async function contact(): Promise<Record<string, unknown>> {
  return world.salesforceApi<Record<string, unknown>>(
    'GET',
    `sobjects/Contact/${contactId}?fields=FirstName,MailingStreet,MailingCity,MailingPostalCode`,
  );
}

async function prospect(): Promise<Record<string, unknown> | undefined> {
  return (await world.pardotProspects(['id', 'email', 'firstName', 'addressOne', 'city', 'zip'])).find(
    (p) => String(p['email']).toLowerCase() === email.toLowerCase(),
  );
}

describe('customer master both ways: X3 owns the address, Salesforce owns the names', () => {
  beforeAll(async () => {
    world = await CustomerFlowWorld.start({
      label: 'customer-address-sync',
      basePort: BASE,
      seedCounts: {
        companies: 2,
        contacts: 2,
        leads: 0,
        products: 2,
        sites: 1,
        opportunities: 0,
        visitorActivities: 0,
      },
    });
    email = (
      await world.x3Api<{ WEB: string }>(
        'GET',
        `BPCUSTOMER('${CUSTOMER}')?representation=BPCUSTOMER.$details`,
      )
    ).WEB;
    const found = await world.salesforceApi<{ records: { Id: string }[] }>(
      'GET',
      `query?q=${encodeURIComponent(`SELECT Id FROM Contact WHERE Email = '${email}'`)}`,
    );
    contactId = found.records[0]?.Id ?? '';
    // The existing Contacts and Accounts join the customer master through the SOQL backfill.
    const response = await fetch(`${world.url('salesforce-ingest')}/salesforce/backfill`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...world.auth() },
      body: JSON.stringify({ since: '2000-01-01T00:00:00Z', objects: ['Contact', 'Account'] }),
    });
    expect(response.status).toBe(202);
    const job = (await response.json()) as { id: string };
    await waitFor(
      async () =>
        (
          (await (
            await fetch(`${world.url('salesforce-ingest')}/salesforce/backfill/${job.id}`, {
              headers: world.auth('viewer'),
            })
          ).json()) as {
            status: string;
          }
        ).status === 'done',
      { timeoutMs: 60_000, description: 'the Salesforce backfill' },
    );
    await waitFor(async () => (await golden())?.xrefs.salesforceContactIds.includes(contactId), {
      timeoutMs: 60_000,
      description: 'the golden record of the Contact',
    });
  }, 300_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('brings an address changed in X3 to the Salesforce Contact and the Pardot prospect', async () => {
    expect(contactId).toMatch(/^003/);
    await world.x3Api('PUT', `BPCUSTOMER('${CUSTOMER}')?representation=BPCUSTOMER.$edit`, {
      ADDLIG1: '5 avenue Nouvelle',
      CTY: 'Toulouse',
      POSCOD: '31000',
    });
    await waitFor(
      async () => {
        const c = await contact();
        return c['MailingCity'] === 'Toulouse' && c['MailingPostalCode'] === '31000' ? c : undefined;
      },
      { timeoutMs: 90_000, description: 'the Contact at the new X3 address' },
    );
    expect(String((await contact())['MailingStreet'])).toContain('5 avenue Nouvelle');
    // Salesforce writes go through sObject Collections, at most 200 records per call.
    const collections = (await world.salesforce.ledger()).filter(
      (e) => e.method === 'PATCH' && e.path.endsWith('/composite/sobjects'),
    );
    const records = collections.map(
      (e) => (e.requestBody as { records: { id?: string; Id?: string }[] }).records,
    );
    expect(records.some((batch) => batch.some((r) => (r.id ?? r.Id) === contactId))).toBe(true);
    expect(Math.max(...records.map((batch) => batch.length))).toBeLessThanOrEqual(200);
    const p = await waitFor(
      async () => {
        const found = await prospect();
        return found?.['city'] === 'Toulouse' ? found : undefined;
      },
      { timeoutMs: 60_000, description: 'the prospect at the new X3 address' },
    );
    expect(p).toMatchObject({ addressOne: '5 avenue Nouvelle', zip: '31000' });
    const g = await golden();
    expect(g?.xrefs.x3CustomerCodes).toEqual([CUSTOMER]);

    // Our write to the Contact comes back through CDC as our own change: dropped, not a Salesforce change.
    await waitFor(
      async () =>
        (await world.metric('salesforce-ingest', 'px3_source_echoes_dropped_total', {
          system: 'salesforce',
          entity: 'Contact',
        })) > 0,
      { timeoutMs: 30_000, description: 'salesforce-ingest dropping the echo of our Contact write' },
    );
    const contactEvents = await world.allMessages(TOPICS.salesforceContactChangedV1);
    const decoded = await Promise.all(
      contactEvents.filter((m) => m.key === contactId).map((m) => decodeWithRegistry(m.value as Buffer)),
    );
    // (The SOQL reconciliation may read our write back too — a REST read has no changeOrigin — but
    // with the golden record's own values, which change nothing.)
    const cdc = decoded.filter((d) => d.value['via'] === 'CDC');
    expect(
      cdc.some((d) => (d.value['fields'] as Record<string, unknown>)['MailingCity'] === 'Toulouse'),
    ).toBe(false);
  });

  it('does not write a Salesforce change of an X3-owned field over X3', async () => {
    const before = (await world.pardot.ledger()).length;
    await world.salesforceApi('PATCH', `sobjects/Contact/${contactId}`, { MailingCity: 'Salesforce Town' });
    // mdm has seen the Contact's change…
    await waitFor(
      async () => {
        const rows = await world.query<{ city: string }>(
          `SELECT fields->'address'->>'city' AS city FROM mdm_customer_source_record
            WHERE source_system = 'SALESFORCE' AND source_entity = 'Contact' AND source_id = $1`,
          [contactId],
        );
        return rows[0]?.city === 'Salesforce Town';
      },
      { timeoutMs: 60_000, description: "mdm seeing the Contact's new city" },
    );
    // …and kept X3's address, saying why.
    const g = await golden();
    expect(g?.fields.address?.city).toBe('Toulouse');
    const explanation = (await (
      await fetch(`${world.url('mdm')}/golden-customers/${g?.goldenId}/explanation`, {
        headers: world.auth(),
      })
    ).json()) as {
      fields: { field: string; system: string; explanation: string }[];
    };
    expect(explanation.fields.find((f) => f.field === 'address')).toMatchObject({ system: 'X3' });
    expect(explanation.fields.find((f) => f.field === 'address')?.explanation).toMatch(
      /X3 is the system of record for address/,
    );
    expect(
      (
        await world.x3Api<{ CTY: string }>(
          'GET',
          `BPCUSTOMER('${CUSTOMER}')?representation=BPCUSTOMER.$details`,
        )
      ).CTY,
    ).toBe('Toulouse');
    expect((await prospect())?.['city']).toBe('Toulouse');
    const pardotWrites = (await world.pardot.ledger()).slice(before);
    expect(JSON.stringify(pardotWrites)).not.toContain('Salesforce Town');
    expect(
      (await world.x3.ledger()).filter(
        (e) => e.method !== 'GET' && JSON.stringify(e.requestBody).includes('Salesforce Town'),
      ),
    ).toEqual([]);
  });

  it('takes a Salesforce change of a Salesforce-owned field and brings it to Pardot', async () => {
    await world.salesforceApi('PATCH', `sobjects/Contact/${contactId}`, { FirstName: 'Renamed' });
    await waitFor(async () => (await golden())?.fields.firstName === 'Renamed', {
      timeoutMs: 60_000,
      description: 'the golden record taking the new first name',
    });
    await waitFor(async () => (await prospect())?.['firstName'] === 'Renamed', {
      timeoutMs: 60_000,
      description: 'the prospect with the new first name',
    });
    expect((await contact())['FirstName']).toBe('Renamed');
  });
});
