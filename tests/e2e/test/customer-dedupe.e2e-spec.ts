import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@pardot-x3/testing';
import { CustomerFlowWorld, decodeWithRegistry, type RawMessage } from './customer-flow.fixture.js';

/**
 * Duplicates across systems, every service its own process: two Salesforce Leads and one Pardot
 * prospect with the same email written differently (case; the three systems refuse whitespace inside
 * an email, so trimming is shown by the matching unit tests) and the X3 customer of that person end as
 * one golden record with every id cross-referenced; no second prospect or X3 customer is created.
 * A phone that is not one is left out and flagged on the golden record while the customer syncs
 * (field-level quarantine, ADR 0135); an invalid email is dead-lettered with a clear reason.
 */

const BASE = 20020;
let world: CustomerFlowWorld;

interface GoldenView {
  goldenId: string;
  fields: Record<string, unknown>;
  xrefs: {
    x3CustomerCodes: string[];
    salesforceLeadIds: string[];
    salesforceContactIds: string[];
    salesforceAccountIds: string[];
    pardotProspectIds: string[];
  };
  dataQuality: Record<string, unknown>[];
}

async function lookup(email: string): Promise<GoldenView | undefined> {
  const response = await fetch(`${world.url('mdm')}/golden-customers/lookup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...world.auth() },
    body: JSON.stringify({ email }),
  });
  return response.status === 200 ? ((await response.json()) as GoldenView) : undefined;
}

describe('one customer across Salesforce, Pardot and X3: deduplicated into one golden record', () => {
  beforeAll(async () => {
    world = await CustomerFlowWorld.start({
      label: 'customer-dedupe',
      basePort: BASE,
      seedCounts: {
        companies: 2,
        contacts: 2,
        leads: 1,
        products: 2,
        sites: 1,
        opportunities: 0,
        visitorActivities: 0,
      },
    });
  }, 240_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('joins two Leads, a prospect and an X3 customer with one email into one golden record', async () => {
    const prospect = await world.pardotApi<{ id: number }>('POST', 'objects/prospects?fields=id,email', {
      email: 'JANE.DEDUPE@example.com',
      firstName: 'Jane',
      lastName: 'Dedupe',
      company: 'Dedupe Industries',
    });
    const golden0 = await waitFor(
      async () =>
        (await lookup('jane.dedupe@example.com'))?.xrefs.pardotProspectIds.length
          ? lookup('jane.dedupe@example.com')
          : undefined,
      {
        timeoutMs: 60_000,
        description: 'the golden record of the Pardot prospect',
      },
    );
    expect(golden0?.xrefs.pardotProspectIds).toEqual([String(prospect.id)]);

    const lead1 = await world.salesforceApi<{ id: string }>('POST', 'sobjects/Lead', {
      FirstName: 'Jane',
      LastName: 'Dedupe',
      Company: 'Dedupe Industries',
      Email: 'Jane.Dedupe@Example.com',
    });
    const lead2 = await world.salesforceApi<{ id: string }>('POST', 'sobjects/Lead', {
      FirstName: 'Jane',
      LastName: 'Dedupe',
      Company: 'Dedupe Industries SAS',
      Email: 'jane.dedupe@EXAMPLE.COM',
    });
    const customer = await world.x3Api<{ BPCNUM: string }>(
      'POST',
      'BPCUSTOMER?representation=BPCUSTOMER.$create',
      {
        BPCNAM: 'Dedupe Industries',
        WEB: 'Jane.DEDUPE@example.COM',
        CRY: 'FR',
        CUR: 'EUR',
        OSTCTL: 1,
      },
    );

    const golden = await waitFor(
      async () => {
        const found = await lookup('jane.dedupe@example.com');
        const x = found?.xrefs;
        return x && x.salesforceLeadIds.length === 2 && x.x3CustomerCodes.length === 1 ? found : undefined;
      },
      { timeoutMs: 90_000, description: 'one golden record with both Leads and the X3 customer' },
    );
    expect(golden.xrefs).toEqual({
      x3CustomerCodes: [customer.BPCNUM],
      salesforceLeadIds: [lead1.id, lead2.id].sort(),
      salesforceContactIds: [],
      salesforceAccountIds: [],
      pardotProspectIds: [String(prospect.id)],
    });
    expect(golden.fields['email']).toBe('jane.dedupe@example.com');
    expect(golden.fields['customerCode']).toBe(customer.BPCNUM);

    const rows = await world.query<{ n: string }>(
      `SELECT count(*) AS n FROM mdm_golden_customer WHERE state = 'active' AND email = 'jane.dedupe@example.com'`,
    );
    expect(Number(rows[0]?.n)).toBe(1);
    for (const [system, entity, id] of [
      ['SALESFORCE', 'Lead', lead1.id],
      ['SALESFORCE', 'Lead', lead2.id],
      ['PARDOT', 'Prospect', String(prospect.id)],
      ['X3', 'BPCUSTOMER', customer.BPCNUM],
    ] as const) {
      const response = await fetch(
        `${world.url('mdm')}/golden-customers/by-source/${system}/${entity}/${id}`,
        { headers: world.auth() },
      );
      expect(response.status).toBe(200);
      expect(((await response.json()) as GoldenView).goldenId).toBe(golden.goldenId);
    }

    // Each field says why it has its value.
    const explanation = (await (
      await fetch(`${world.url('mdm')}/golden-customers/${golden.goldenId}/explanation`, {
        headers: world.auth(),
      })
    ).json()) as {
      fields: { field: string; system: string; rule: string; explanation: string }[];
    };
    expect(explanation.fields.find((f) => f.field === 'customerCode')).toMatchObject({
      system: 'X3',
      rule: 'system-of-record',
    });
    expect(explanation.fields.find((f) => f.field === 'firstName')).toMatchObject({
      system: 'SALESFORCE',
      rule: 'source-priority',
    });

    // Our own write goes to the same prospect: still one prospect and one X3 customer with that email.
    await waitFor(
      async () =>
        (await world.pardot.ledger('PATCH /api/v5/objects/prospects/*')).some((e) =>
          e.path.endsWith(`/${prospect.id}`),
        ) ||
        (await world.pardot.ledger('POST /api/v5/objects/prospects/do/upsertLatestByEmail')).some(
          (e) =>
            (e.requestBody as { matchEmail?: string }).matchEmail?.toLowerCase() ===
            'jane.dedupe@example.com',
        ),
      { timeoutMs: 60_000, description: 'pardot-writer writing the golden record to its prospect' },
    );
    const prospects = (await world.pardotProspects(['id', 'email'])).filter(
      (p) => String(p['email']).toLowerCase() === 'jane.dedupe@example.com',
    );
    expect(prospects.map((p) => p['id'])).toEqual([prospect.id]);
    const x3 = await world.x3Api<{ $resources: { BPCNUM: string }[] }>(
      'GET',
      `BPCUSTOMER?representation=BPCUSTOMER.$query&where=${encodeURIComponent("lower(WEB) eq 'jane.dedupe@example.com'")}`,
    );
    expect(x3.$resources.map((c) => c.BPCNUM)).toEqual([customer.BPCNUM]);
  });

  it('syncs a customer whose phone is not a phone number without the phone, flagged; an invalid email still dead-letters', async () => {
    // Field-level quarantine (ADR 0135): an invalid optional field is left out and flagged, the record syncs.
    const badPhone = await world.x3Api<{ BPCNUM: string }>(
      'POST',
      'BPCUSTOMER?representation=BPCUSTOMER.$create',
      {
        BPCNAM: 'Bad Phone Ltd',
        WEB: 'someone@bad-phone.example',
        TEL: 'call me maybe',
        CRY: 'GB',
        CUR: 'GBP',
      },
    );
    // An identity field still refuses the record: it goes to the dead-letter topic with the reason.
    const badEmail = await world.x3Api<{ BPCNUM: string }>(
      'POST',
      'BPCUSTOMER?representation=BPCUSTOMER.$create',
      {
        BPCNAM: 'Bad Email Ltd',
        WEB: 'someone@bad_email.example', // X3 takes it; no mail server would
        TEL: '+44 20 7946 0958',
        CRY: 'GB',
        CUR: 'GBP',
      },
    );

    // Pardot gets the customer, without a phone.
    const upsert = await waitFor(
      async () =>
        (await world.pardot.ledger('POST /api/v5/objects/prospects/do/upsertLatestByEmail')).find(
          (e) => (e.requestBody as { matchEmail?: string }).matchEmail === 'someone@bad-phone.example',
        ),
      { timeoutMs: 90_000, description: 'the customer with an invalid phone written to Pardot' },
    );
    expect(upsert.status).toBeLessThan(300);
    const written = (upsert.requestBody as { prospect: Record<string, unknown> }).prospect;
    expect(written).toMatchObject({ company: 'Bad Phone Ltd' });
    expect(written['phone'] ?? null).toBeNull();
    const [prospect] = (await world.pardotProspects(['id', 'email', 'phone', 'company'])).filter(
      (p) => p['email'] === 'someone@bad-phone.example',
    );
    expect(prospect).toMatchObject({ company: 'Bad Phone Ltd', phone: null });

    // The golden record says which field was left out of which source record, and why.
    const golden = await lookup('someone@bad-phone.example');
    expect(golden?.xrefs.x3CustomerCodes).toEqual([badPhone.BPCNUM]);
    expect(golden?.fields['phone'] ?? null).toBeNull();
    expect(golden?.dataQuality).toEqual([
      {
        system: 'X3',
        entity: 'BPCUSTOMER',
        sourceId: badPhone.BPCNUM,
        field: 'phone',
        rule: 'invalid-phone',
        reason: 'is not a phone number',
        sourceField: expect.stringMatching(/^TEL/),
        observedAt: expect.any(String),
      },
    ]);
    const explanation = (await (
      await fetch(`${world.url('mdm')}/golden-customers/${golden?.goldenId}/explanation`, {
        headers: world.auth(),
      })
    ).json()) as { dataQuality: unknown[] };
    expect(explanation.dataQuality).toEqual(golden?.dataQuality);

    const dlq = { name: 'transformer.customer-sources.dlq' };
    const [entry] = await world.rawMessages(
      dlq,
      (messages: readonly RawMessage[]) => messages.length > 0,
      90_000,
    );
    const deadLetter = await decodeWithRegistry(entry?.value as Buffer);
    expect(deadLetter.value).toMatchObject({
      consumerGroup: 'transformer.customer-sources',
      reason: 'NON_RETRIABLE_ERROR',
      origin: { topic: 'x3.customer.changed.v1' },
    });
    expect(String(deadLetter.value['errorMessage'])).toMatch(
      /email: "someone@bad_email\.example" \(from WEB[^)]*\) is not a valid email address/,
    );
    expect(String(deadLetter.value['key'])).toBe(badEmail.BPCNUM);

    // The counter of quarantined fields, per source, field and rule.
    const metrics = await (await fetch(`${world.url('transformer')}/metrics`)).text();
    expect(metrics).toMatch(
      /px3_mapping_fields_quarantined_total\{source="X3",entity="BPCUSTOMER",field="phone",rule="invalid-phone",service="transformer"\} [1-9]/,
    );
    for (const service of world.services.values()) expect(service.running).toBe(true);
  });

  it('merges two golden records that turn out to be one customer, and says so', async () => {
    const first = await world.salesforceApi<{ id: string }>('POST', 'sobjects/Lead', {
      LastName: 'Merger',
      Company: 'Merge Industries',
      Email: 'sam.merger@merge.example',
    });
    const second = await world.salesforceApi<{ id: string }>('POST', 'sobjects/Lead', {
      LastName: 'Merger',
      Company: 'Merge Industries (old)',
      Email: 'sam@old-merge.example',
    });
    const bySource = async (id: string): Promise<GoldenView | undefined> => {
      const response = await fetch(`${world.url('mdm')}/golden-customers/by-source/SALESFORCE/Lead/${id}`, {
        headers: world.auth(),
      });
      return response.status === 200 ? ((await response.json()) as GoldenView) : undefined;
    };
    const a = await waitFor(() => bySource(first.id), {
      timeoutMs: 60_000,
      description: 'the first Lead mastered',
    });
    const b = await waitFor(() => bySource(second.id), {
      timeoutMs: 60_000,
      description: 'the second Lead mastered',
    });
    expect(a.goldenId).not.toBe(b.goldenId);

    // The second Lead's email is corrected: both golden records are now one customer.
    await world.salesforceApi('PATCH', `sobjects/Lead/${second.id}`, { Email: 'Sam.Merger@merge.example' });
    const merged = await waitFor(
      async () => {
        const golden = await bySource(second.id);
        return golden && golden.xrefs.salesforceLeadIds.length === 2 ? golden : undefined;
      },
      { timeoutMs: 60_000, description: 'the two golden records merged' },
    );
    const survivor = merged.goldenId;
    const absorbed = survivor === a.goldenId ? b.goldenId : a.goldenId;
    expect([a.goldenId, b.goldenId]).toContain(survivor);
    expect(merged.xrefs.salesforceLeadIds).toEqual([first.id, second.id].sort());

    const announced = await waitFor(
      async () => {
        const events = await world.allMessages({ name: 'customer.golden-record.merged.v1' }, 1_000);
        const decoded = await Promise.all(events.map((m) => decodeWithRegistry(m.value as Buffer)));
        return decoded.find((d) => (d.value['absorbedGoldenIds'] as string[]).includes(absorbed));
      },
      { timeoutMs: 30_000, description: 'the merge event' },
    );
    expect(announced.value).toMatchObject({ survivorGoldenId: survivor, matchRule: 'normalised-email' });
    const tombstones = (
      await world.allMessages({ name: 'customer.golden-record.mastered.v1' }, 1_000)
    ).filter((m) => m.key === absorbed && m.value === null);
    expect(tombstones.length).toBeGreaterThan(0);
    const redirect = await fetch(`${world.url('mdm')}/golden-customers/${absorbed}`, {
      redirect: 'manual',
      headers: world.auth(),
    });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe(`/golden-customers/${survivor}`);
  });
});
