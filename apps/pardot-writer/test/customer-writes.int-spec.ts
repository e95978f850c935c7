import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONSUMER_GROUPS, TOPICS, type GoldenCustomer, type Prospect } from '@pardot-x3/canonical';
import type { LedgerEntry } from '@pardot-x3/flow-testing';
import { waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerWriteQueue } from '../src/customer-writes/customer-write-queue.js';
import { startPardotWriter, type PardotWriterFixture } from './support/pardot-writer.fixture.js';

/** The window the tests run with: a customer is written once it has been quiet this long. */
const WINDOW_MS = 4_000;
const REPORT = fileURLToPath(new URL('../../../reports/bench/', import.meta.url));

type Xrefs = GoldenCustomer['xrefs'];
const NO_XREFS: Xrefs = {
  x3CustomerCodes: [],
  salesforceLeadIds: [],
  salesforceContactIds: [],
  salesforceAccountIds: [],
  pardotProspectIds: [],
};

function golden(
  goldenId: string,
  version: number,
  values: { email: string | null; city: string; xrefs?: Partial<Xrefs> },
): GoldenCustomer {
  return {
    goldenId,
    version,
    updatedAt: new Date('2026-12-01T10:00:00Z'),
    createdAt: new Date('2026-12-01T10:00:00Z'),
    email: values.email,
    firstName: 'Ada',
    lastName: `Writes ${goldenId}`,
    companyName: `Writes ${goldenId} Ltd`,
    phone: null,
    address: {
      line1: '1 rue des Tests',
      line2: null,
      city: values.city,
      postalCode: '44000',
      region: null,
      countryCode: 'FR',
    },
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
    xrefs: { ...NO_XREFS, ...values.xrefs },
    provenance: {},
    mergedFrom: [],
  };
}

const isProspectWrite = (e: LedgerEntry): boolean =>
  (e.method === 'POST' || e.method === 'PATCH') && e.path.includes('/api/v5/objects/prospects');
const isCollectionsCall = (e: LedgerEntry): boolean =>
  e.method === 'PATCH' && e.path.endsWith('/composite/sobjects');

/**
 * Customer writes on the real stack with the Pardot and Salesforce sandboxes (issue 12): a burst of
 * changes of one customer is one write, a change that leaves a target's values as written (the Pardot
 * id coming back) is no write, and Contact/Account writes of many customers share full sObject
 * Collections calls. mdm is played by the test: each prospect pardot-writer announces on
 * pardot.prospect.upserted.v1 comes back as a new golden version carrying the prospect id, as
 * mdm.prospect-links does.
 */
describe('pardot-writer: customer writes are coalesced, skipped when nothing changed, and batched', () => {
  let f: PardotWriterFixture;
  /** The newest golden record the test has "mastered", by golden id. */
  const latest = new Map<string, GoldenCustomer>();
  let linkBacks = 0;
  let linking: NodeJS.Timeout | undefined;
  const measured: Record<string, unknown> = {};

  const master = async (record: GoldenCustomer): Promise<void> => {
    latest.set(record.goldenId, record);
    await f.messaging.send(TOPICS.customerGoldenRecordMasteredV1, record);
  };
  const prospectWrites = async (): Promise<LedgerEntry[]> =>
    (await f.pardot.ledger()).filter(isProspectWrite);
  const queueEmpty = async (): Promise<true | undefined> => {
    const { pending, failed } = await f.app.nest.get(CustomerWriteQueue).pendingCount();
    return pending + failed === 0 ? true : undefined;
  };

  beforeAll(async () => {
    f = await startPardotWriter({
      label: 'pw-customer-writes',
      httpPort: 21018,
      salesforcePort: 21113,
      pardotPort: 21213,
      webhookPort: 21453,
      collect: [TOPICS.pardotProspectUpsertedV1],
      env: {
        CUSTOMER_WRITE_COALESCING_MS: String(WINDOW_MS),
        CUSTOMER_WRITE_MAX_DELAY_MS: '30000',
        CUSTOMER_WRITE_SALESFORCE_GATHER_MS: '5000',
      },
    });
    // mdm.prospect-links: a new prospect id joins the golden record as a new version.
    let seen = 0;
    const link = async (): Promise<void> => {
      const events = f.messaging.events<Prospect>(TOPICS.pardotProspectUpsertedV1);
      for (const { value } of events.slice(seen)) {
        seen += 1;
        const record = latest.get(value.goldenId);
        if (!record || record.xrefs.pardotProspectIds.includes(value.prospectId)) continue;
        linkBacks += 1;
        await master({
          ...record,
          version: record.version + 1,
          xrefs: {
            ...record.xrefs,
            pardotProspectIds: [...record.xrefs.pardotProspectIds, value.prospectId],
          },
        });
      }
    };
    const tick = (): void => {
      linking = setTimeout(() => void link().finally(tick), 100);
    };
    tick();
  });

  afterAll(async () => {
    if (linking) clearTimeout(linking);
    if (Object.keys(measured).length > 0) {
      mkdirSync(REPORT, { recursive: true });
      writeFileSync(
        `${REPORT}pardot-writer-customer-writes.json`,
        `${JSON.stringify({ at: new Date().toISOString(), windowMs: WINDOW_MS, ...measured }, null, 2)}\n`,
      );
    }
    await f?.close();
  });

  it('writes a burst of 5 changes of a customer, spread over more than a window, once with the newest values', async () => {
    const customers = Array.from({ length: 20 }, (_, i) => `burst-${i}`);
    const before = (await prospectWrites()).length;
    const linkBacksBefore = linkBacks;
    // Five rounds of changes, 1.2 s apart: each customer's five changes span 4.8 s (a window is 4 s).
    for (let update = 1; update <= 5; update += 1) {
      await Promise.all(
        customers.map((id) => {
          const previous = latest.get(id);
          return master(
            golden(id, (previous?.version ?? 0) + 1, {
              email: `${id}@writes.example`,
              city: `City ${update}`,
              xrefs: previous?.xrefs,
            }),
          );
        }),
      );
      if (update < 5) await new Promise((resolve) => setTimeout(resolve, 1_200));
    }
    await waitFor(async () => (linkBacks - linkBacksBefore >= customers.length ? true : undefined), {
      timeoutMs: 60_000,
      description: 'every prospect written and its id linked back',
    });
    await waitFor(queueEmpty, { timeoutMs: 30_000, description: 'no customer write pending' });
    await new Promise((resolve) => setTimeout(resolve, 2 * WINDOW_MS));
    await waitFor(queueEmpty, { timeoutMs: 30_000, description: 'no customer write pending' });
    const writes = (await prospectWrites()).slice(before);
    const perUpdate = writes.length / (customers.length * 5);
    measured['burst'] = {
      customers: customers.length,
      updates: customers.length * 5,
      pardotWrites: writes.length,
      writesPerUpdate: perUpdate,
    };
    const perCustomer = new Map<string, number>();
    for (const e of writes) {
      const key = e.path.includes('upsertLatestByEmail')
        ? String((e.requestBody as { matchEmail?: string }).matchEmail)
        : e.path;
      perCustomer.set(key, (perCustomer.get(key) ?? 0) + 1);
    }
    console.log(
      `[measure] burst of 5: ${writes.length} Pardot writes for ${customers.length * 5} updates; writes per prospect: ${[...perCustomer.values()].join(',')}`,
    );
    expect(perUpdate).toBeLessThanOrEqual(0.2);
    // Each customer written once, with its newest values.
    const cities = new Map(
      writes.map((e) => {
        const body = e.requestBody as { matchEmail?: string; prospect?: { city?: string } };
        return [body.matchEmail, body.prospect?.city];
      }),
    );
    expect(customers.every((id) => cities.get(`${id}@writes.example`) === 'City 5')).toBe(true);
  });

  it('writes nothing when a golden record changes nothing a target carries (the Pardot id coming back, a re-master)', async () => {
    const customers = Array.from({ length: 20 }, (_, i) => `burst-${i}`);
    const pardotBefore = (await prospectWrites()).length;
    const salesforceBefore = (await f.salesforce.ledger()).filter(isCollectionsCall).length;
    // Re-mastered without a change of its values (e.g. a new cross-reference of a Lead): twice.
    for (let round = 0; round < 2; round += 1)
      await Promise.all(
        customers.map((id) => {
          const record = latest.get(id) as GoldenCustomer;
          return master({
            ...record,
            version: record.version + 1,
            xrefs: { ...record.xrefs, salesforceLeadIds: [`00Q${round}${id}`] },
          });
        }),
      );
    await new Promise((resolve) => setTimeout(resolve, 2 * WINDOW_MS));
    await waitFor(queueEmpty, { timeoutMs: 30_000, description: 'no customer write pending' });
    expect((await prospectWrites()).length - pardotBefore).toBe(0);
    expect((await f.salesforce.ledger()).filter(isCollectionsCall).length - salesforceBefore).toBe(0);
  });

  it('writes changes spread out over time once each, and the Pardot id coming back adds no write', async () => {
    const customers = Array.from({ length: 20 }, (_, i) => `spread-${i}`);
    const before = (await prospectWrites()).length;
    // Three changes per customer, a window and a half apart: each is its own write.
    for (let update = 1; update <= 3; update += 1) {
      await Promise.all(
        customers.map((id) => {
          const previous = latest.get(id);
          return master(
            golden(id, (previous?.version ?? 0) + 1, {
              email: `${id}@writes.example`,
              city: `Spread ${update}`,
              xrefs: previous?.xrefs,
            }),
          );
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 1.5 * WINDOW_MS));
    }
    await waitFor(queueEmpty, { timeoutMs: 30_000, description: 'no customer write pending' });
    await new Promise((resolve) => setTimeout(resolve, 2 * WINDOW_MS));
    await waitFor(queueEmpty, { timeoutMs: 30_000, description: 'no customer write pending' });
    const writes = (await prospectWrites()).slice(before);
    const perUpdate = writes.length / (customers.length * 3);
    measured['spread'] = {
      customers: customers.length,
      updates: customers.length * 3,
      pardotWrites: writes.length,
      writesPerUpdate: perUpdate,
    };
    console.log(`[measure] spread out: ${writes.length} Pardot writes for ${customers.length * 3} updates`);
    expect(perUpdate).toBeLessThanOrEqual(1);
  });

  it("gathers many customers' Contact and Account writes into sObject Collections calls of 200, a refused record parked alone", async () => {
    const count = 500;
    const accounts = await f.salesforceClient.createMany(
      'Account',
      Array.from({ length: count }, (_, i) => ({ Name: `Batch ${i}` })),
    );
    const contacts = await f.salesforceClient.createMany(
      'Contact',
      Array.from({ length: count }, (_, i) => ({ LastName: `Batch ${i}` })),
    );
    expect([...accounts, ...contacts].every((r) => r.success)).toBe(true);
    // One golden record points at a Contact that does not exist (deleted since): Salesforce refuses
    // that record alone.
    const gone = '003000000000ZZZ';
    const before = (await f.salesforce.ledger()).filter(isCollectionsCall).length;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        master(
          golden(`batch-${i}`, 1, {
            email: null,
            city: 'Batch City',
            xrefs: {
              salesforceAccountIds: [accounts[i]?.id as string],
              salesforceContactIds: [i === count - 1 ? gone : (contacts[i]?.id as string)],
            },
          }),
        ),
      ),
    );
    const recordsPerCall = async (): Promise<number[]> =>
      (await f.salesforce.ledger())
        .filter(isCollectionsCall)
        .slice(before)
        .map((c) => (c.requestBody as { records?: unknown[] }).records?.length ?? 0);
    await waitFor(
      async () => ((await recordsPerCall()).reduce((a, b) => a + b, 0) >= count * 2 ? true : undefined),
      { timeoutMs: 120_000, description: 'every Contact and Account sent' },
    );
    await waitFor(queueEmpty, { timeoutMs: 30_000, description: 'no customer write pending' });
    const records = await recordsPerCall();
    const perThousand = (records.length / (count * 2)) * 1_000;
    measured['salesforce'] = {
      records: count * 2,
      calls: records.length,
      callsPer1000Records: perThousand,
      recordsPerCall: records,
    };
    console.log(
      `[measure] Salesforce: ${records.length} sObject Collections calls for ${count * 2} records (${records.join(', ')} records per call)`,
    );
    expect(perThousand).toBeLessThanOrEqual(5);
    const written = await f.salesforceClient.queryAll<{ Id: string; MailingCity: string | null }>(
      `SELECT Id, MailingCity FROM Contact WHERE LastName LIKE 'Writes batch-%'`,
    );
    expect(written).toHaveLength(count - 1);
    expect(written.every((c) => c.MailingCity === 'Batch City')).toBe(true);
    const parked = await waitFor(
      async () =>
        (
          await (
            await f.messaging.messaging.deadLetterInspector()
          ).read(CONSUMER_GROUPS.pardotWriterCustomers.name)
        ).find((d) => d.envelope.errorMessage.includes(gone)),
      { timeoutMs: 30_000, description: 'the refused Contact on pardot-writer.customers.dlq' },
    );
    expect(parked.envelope.reason).toBe('NON_RETRIABLE_ERROR');
  });
});
