import { CONSUMER_GROUPS, TOPICS, type GoldenCustomer } from '@pardot-x3/canonical';
import type { DeadLetterEntry } from '@pardot-x3/messaging';
import { expectEveryRouteGuarded, waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPardotWriter, type PardotWriterFixture } from './support/pardot-writer.fixture.js';

const UPSERT = 'POST /api/v5/objects/prospects/do/upsertLatestByEmail';
const CUSTOMERS = CONSUMER_GROUPS.pardotWriterCustomers.name;
const ACTIVITIES = CONSUMER_GROUPS.pardotWriterErpActivities.name;

function golden(goldenId: string, email: string, overrides: Partial<GoldenCustomer> = {}): GoldenCustomer {
  return {
    goldenId,
    version: 1,
    updatedAt: new Date('2026-12-01T10:00:00Z'),
    createdAt: new Date('2026-12-01T10:00:00Z'),
    email,
    firstName: 'Ada',
    lastName: 'Burst',
    companyName: 'Burst Industries',
    phone: null,
    address: null,
    customerCode: null,
    customerGroup: null,
    currencyCode: null,
    paymentTerms: null,
    creditStatus: null,
    totalRevenue: null,
    lastPurchaseDate: null,
    industrySegment: null,
    pardotGrade: null,
    pardotScore: null,
    customFields: {},
    xrefs: {
      x3CustomerCodes: [],
      salesforceLeadIds: [],
      salesforceContactIds: [],
      salesforceAccountIds: [],
      pardotProspectIds: [],
    },
    provenance: {},
    mergedFrom: [],
    ...overrides,
  };
}

/**
 * Writes that fail, as Pardot really fails them, on the real stack and the Pardot sandbox:
 * - Pardot's "please try again" comes as HTTP 5xx WITH a code (183): transient, so the write waits and
 *   is tried again until it lands (it used to be "kept as failed until the customer changes again");
 * - a write Pardot refuses for good (an 800 KB company name: error 166) is parked on the group's
 *   dead-letter topic with Pardot's error, and counted — never kept as failed in silence;
 * - a parked write is re-driven after the fix and applied exactly once;
 * - an external activity hit by the same 183 burst is retried and sent once (it used to be dead-lettered).
 */
describe('pardot-writer: failed writes are retried or parked, never lost', () => {
  let f: PardotWriterFixture;

  beforeAll(async () => {
    f = await startPardotWriter({
      label: 'pw-failures',
      httpPort: 21017,
      salesforcePort: 21112,
      pardotPort: 21212,
      webhookPort: 21452,
    });
  });

  afterAll(async () => {
    await f?.close();
  });

  const deadLetters = async (group: string): Promise<DeadLetterEntry[]> =>
    (await f.messaging.messaging.deadLetterInspector()).read(group);
  const upsertsFor = async (email: string) =>
    (await f.pardot.ledger(UPSERT)).filter(
      (e) => (e.requestBody as { matchEmail?: string } | undefined)?.matchEmail === email,
    );

  it('serves no route without credentials but health and metrics (issue 11)', async () => {
    const routes = await expectEveryRouteGuarded(f.app.nest, `http://127.0.0.1:${f.app.config.PORT}`, []);
    expect(routes.filter((r) => !r.startsWith('GET /health/') && r !== 'GET /metrics')).toEqual([]);
  });

  it('retries a prospect write through a burst of 503 + error 183 until it lands', async () => {
    await f.pardot.admin('POST', '/faults', {
      id: 'burst-183',
      route: UPSERT,
      status: 503,
      body: { code: 183, message: 'An unexpected error occurred. Please try again.' },
    });
    const email = 'ada.burst@burst.example';
    await f.messaging.send(TOPICS.customerGoldenRecordMasteredV1, golden('golden-burst', email));
    await waitFor(async () => ((await upsertsFor(email)).length >= 2 ? true : undefined), {
      timeoutMs: 30_000,
      description: 'two refused attempts during the burst',
    });
    await f.pardot.admin('DELETE', '/faults/burst-183');
    const landed = await waitFor(
      async () => {
        const ok = (await upsertsFor(email)).filter((e) => e.status < 300);
        return ok.length > 0 ? ok : undefined;
      },
      { timeoutMs: 60_000, description: 'the write to land after the burst' },
    );
    expect(landed).toHaveLength(1);
    expect((await deadLetters(CUSTOMERS)).filter((d) => d.envelope.errorMessage.includes(email))).toEqual([]);
  });

  it('parks a write Pardot refuses for good on the dead-letter topic with its error, and re-drives it once after the fix', async () => {
    // Pardot refuses the whole request (error 166: the body is too large).
    const huge = golden('golden-huge', 'huge.name@burst.example', { companyName: 'X'.repeat(800_000) });
    const huge166 = await f.messaging.send(TOPICS.customerGoldenRecordMasteredV1, huge);
    // A refusal that an operator fixes: a permanent error for one prospect, lifted afterwards.
    const email = 'fixable@burst.example';
    await f.pardot.admin('POST', '/faults', {
      id: 'refuse-fixable',
      route: UPSERT,
      status: 400,
      body: { code: 4, message: 'Invalid prospect email address' },
    });
    const fixable = await f.messaging.send(
      TOPICS.customerGoldenRecordMasteredV1,
      golden('golden-fixable', email),
    );
    const parked = await waitFor(
      async () => {
        const found = await deadLetters(CUSTOMERS);
        const ids = new Set(found.map((d) => d.envelope.eventId));
        return ids.has(huge166.eventId) && ids.has(fixable.eventId) ? found : undefined;
      },
      { timeoutMs: 60_000, description: 'both refused writes on pardot-writer.customers.dlq' },
    );
    const hugeEntry = parked.find((d) => d.envelope.eventId === huge166.eventId);
    expect(hugeEntry?.envelope).toMatchObject({
      reason: 'NON_RETRIABLE_ERROR',
      errorClass: 'PardotApiError',
      origin: { topic: TOPICS.customerGoldenRecordMasteredV1.name },
    });
    expect(hugeEntry?.envelope.errorMessage).toMatch(/error 166/);
    const fixableEntry = parked.find((d) => d.envelope.eventId === fixable.eventId);
    expect(fixableEntry?.envelope.errorMessage).toMatch(/error 4 Invalid prospect email address/);
    // Tried once each: a permanent refusal is not retried.
    expect((await upsertsFor(email)).length).toBe(1);
    // Counted where the alert rules look.
    const metrics = await (await fetch(`http://127.0.0.1:21017/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(
        `px3_dead_letters_total\\{[^}]*group="${CUSTOMERS}"[^}]*error_class="PardotApiError"[^}]*\\} [2-9]`,
      ),
    );

    // The fix, then the re-drive (twice: the second is a no-op): written once.
    await f.pardot.admin('DELETE', '/faults/refuse-fixable');
    const redriver = f.messaging.messaging.deadLetterRedriver();
    const toRedrive = parked.filter((d) => d.envelope.eventId === fixable.eventId);
    await redriver.redrive(CUSTOMERS, toRedrive);
    await redriver.redrive(CUSTOMERS, toRedrive);
    await waitFor(async () => ((await upsertsFor(email)).some((e) => e.status < 300) ? true : undefined), {
      timeoutMs: 60_000,
      description: 'the re-driven write to land',
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await upsertsFor(email)).filter((e) => e.status < 300)).toHaveLength(1);
  });

  it("parks a golden record that a target's template refuses, naming the field, and writes nothing for it", async () => {
    const refused = await f.messaging.send(
      TOPICS.customerGoldenRecordMasteredV1,
      golden('golden-bad-email', 'jane@@bad.example'),
    );
    const entry = await waitFor(
      async () => (await deadLetters(CUSTOMERS)).find((d) => d.envelope.eventId === refused.eventId),
      { timeoutMs: 60_000, description: 'the refused golden record on pardot-writer.customers.dlq' },
    );
    expect(entry.envelope).toMatchObject({
      reason: 'NON_RETRIABLE_ERROR',
      errorClass: 'CustomerWriteRefusedError',
    });
    expect(entry.envelope.errorMessage).toMatch(
      /golden-to-pardot-prospect@1 cannot write golden customer golden-bad-email: email/,
    );
    expect(await upsertsFor('jane@@bad.example')).toEqual([]);
  });

  it('sends an external activity hit by the 183 burst once, after retries, without a dead letter', async () => {
    const email = 'ada.burst@burst.example';
    await f.pardot.admin('POST', '/faults', {
      id: 'activity-183',
      route: 'POST /api/v5/external-activities',
      status: 503,
      body: { code: 183, message: 'An unexpected error occurred. Please try again.' },
    });
    await f.messaging.send(TOPICS.salesShipmentValidatedV1, {
      deliveryNumber: 'SD0000183',
      orderNumber: 'SO0000183',
      opportunityId: null,
      x3CustomerCode: 'C00183',
      customerEmail: email,
      deliveryDate: '2026-12-01',
      validatedAt: new Date('2026-12-01T09:30:00Z'),
      shipSite: 'FR011',
      carrier: null,
      trackingNumber: null,
      lines: [],
    });
    await waitFor(
      async () =>
        (await f.pardot.ledger('POST /api/v5/external-activities')).length >= 2 ? true : undefined,
      { timeoutMs: 30_000, description: 'refused activity attempts during the burst' },
    );
    await f.pardot.admin('DELETE', '/faults/activity-183');
    await waitFor(
      async () =>
        (await f.pardot.ledger('POST /api/v5/external-activities')).some((e) => e.status < 300)
          ? true
          : undefined,
      { timeoutMs: 60_000, description: 'the activity to be sent after the burst' },
    );
    const sent = (await f.pardot.ledger('POST /api/v5/external-activities')).filter((e) => e.status < 300);
    expect(sent).toHaveLength(1);
    expect(await deadLetters(ACTIVITIES)).toEqual([]);
  });

  it('holds an activity for a customer mastered without an e-mail until it has one, then sends it once', async () => {
    const noEmail = {
      x3CustomerCodes: ['C0NOMAIL'],
      salesforceLeadIds: [],
      salesforceContactIds: [],
      salesforceAccountIds: [],
      pardotProspectIds: [],
    };
    await f.messaging.send(
      TOPICS.customerGoldenRecordMasteredV1,
      golden('golden-no-email', '', { email: null, xrefs: noEmail }),
    );
    await f.messaging.send(TOPICS.salesShipmentValidatedV1, {
      deliveryNumber: 'SD0000404',
      orderNumber: 'SO0000404',
      opportunityId: null,
      x3CustomerCode: 'C0NOMAIL',
      customerEmail: null,
      deliveryDate: '2026-12-01',
      validatedAt: new Date('2026-12-01T09:30:00Z'),
      shipSite: 'FR011',
      carrier: null,
      trackingNumber: null,
      lines: [],
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // mdm links the customer to its contact: the golden record gets an e-mail.
    const email = 'late.mail@burst.example';
    await f.messaging.send(
      TOPICS.customerGoldenRecordMasteredV1,
      golden('golden-no-email', email, { version: 2, xrefs: noEmail }),
    );
    const sent = await waitFor(
      async () => {
        const ledger = (await f.pardot.ledger('POST /api/v5/external-activities')).filter(
          (e) => (e.requestBody as { value?: string } | undefined)?.value === 'SO0000404' && e.status < 300,
        );
        return ledger.length > 0 ? ledger : undefined;
      },
      { timeoutMs: 90_000, description: 'the held activity to be sent once the customer has an e-mail' },
    );
    expect(sent).toHaveLength(1);
    expect((sent[0]?.requestBody as { email?: string }).email).toBe(email);
    expect(
      (await deadLetters(ACTIVITIES)).filter((d) => d.envelope.errorMessage.includes('C0NOMAIL')),
    ).toEqual([]);
  });
});
