import { TOPICS, type EngagementActivity, type EngagementScore } from '@pardot-x3/canonical';
import type { MessageContext } from '@pardot-x3/messaging';
import type { EntityManager } from '@pardot-x3/persistence';
import { waitFor } from '@pardot-x3/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoldenCustomerHandler } from '../src/customer-directory/golden-customer.handler.js';
import { EngagementActivityHandler } from '../src/engagement-scoring/engagement-activity.handler.js';
import { EngagementRefreshService } from '../src/engagement-scoring/engagement-refresh.service.js';
import {
  goldenCustomer,
  startX3OrderWriter,
  type X3OrderWriterFixture,
} from './support/x3-order-writer.fixture.js';

const DAY = 86_400_000;

function activity(id: string, prospectId: string, sourceType: number, occurredAt: Date): EngagementActivity {
  return {
    activityId: id,
    prospectId,
    kind: 'OTHER',
    sourceType,
    sourceTypeName: null,
    occurredAt,
    campaignId: null,
    details: null,
  };
}

/**
 * The Last Engagement Score roll-up in x3-order-writer: activities of a customer's prospects become one
 * score (config/engagement.yaml: form success 10, open 1, half-life 30 days) and a last engagement
 * date on the X3 customer; an unchanged score is not written again, so our writes do not echo.
 */
describe('x3-order-writer: Last Engagement Score', () => {
  let f: X3OrderWriterFixture;
  const customer = async (code: string) =>
    f.x3Api<Record<string, unknown>>('GET', `BPCUSTOMER('${code}')?representation=BPCUSTOMER.$details`);
  const scoreWrites = async (code: string) =>
    (await f.x3.ledger(`PUT /api1/x3/erp/SEED/BPCUSTOMER*`)).filter(
      (e) => e.status === 200 && e.path.includes(code),
    );

  beforeAll(async () => {
    f = await startX3OrderWriter({
      label: 'x3ow-engagement',
      httpPort: 21026,
      x3Port: 21320,
      collect: [TOPICS.engagementScoreChangedV1],
    });
  });

  afterAll(async () => {
    await f?.close();
  });

  it("rolls the activities of the customer's prospects into one score and writes it with the date to X3", async () => {
    const now = Date.now();
    await f.messaging.send(
      TOPICS.customerGoldenRecordMasteredV1,
      goldenCustomer('golden-engaged', 1, {
        x3CustomerCodes: ['C00005'],
        pardotProspectIds: ['500001', '500002'],
      }),
    );
    await waitFor(
      async () =>
        (
          (await f.app.nest
            .get(DataSource)
            .query(
              "SELECT 1 FROM x3_order_writer_golden_customer WHERE golden_id = 'golden-engaged'",
            )) as unknown[]
        ).length === 1,
      { description: 'the golden customer in the directory' },
    );
    await f.messaging.send(TOPICS.engagementActivityRecordedV1, activity('e-1', '500001', 4, new Date(now)));
    await f.messaging.send(
      TOPICS.engagementActivityRecordedV1,
      activity('e-2', '500002', 11, new Date(now - 30 * DAY)),
    );
    // Form success 10 (today) + open 1 × 0.5 (one half-life ago) = 10.5 → 11 (whole points).
    const scores = await f.messaging.waitForEvents(TOPICS.engagementScoreChangedV1, (events) =>
      events.some((e) => e.value.x3CustomerCode === 'C00005' && e.value.activityCount === 2),
    );
    expect(scores.filter((e) => e.value.x3CustomerCode === 'C00005').at(-1)?.value).toMatchObject({
      score: 11,
      activityCount: 2,
      goldenId: 'golden-engaged',
      lastActivityAt: new Date(now),
      formulaVersion: 'formula 1, policy 1',
    });
    const written = await waitFor(
      async () => {
        const record = await customer('C00005');
        return record['YENGSCORE'] === 11 ? record : undefined;
      },
      { description: 'the score on the X3 customer' },
    );
    expect(written['YLASTENGDAT']).toBe(new Date(now).toISOString().slice(0, 10));
  });

  it('counts an activity read twice once, and writes nothing to X3 when the score did not change', async () => {
    const writesBefore = (await scoreWrites('C00005')).length;
    expect(writesBefore).toBeGreaterThanOrEqual(1);
    const eventsBefore = f.messaging.events(TOPICS.engagementScoreChangedV1).length;
    // The same activity again (an overlapping poll): nothing changes.
    await f.messaging.send(TOPICS.engagementActivityRecordedV1, activity('e-1', '500001', 4, new Date()));
    // A click (weight 3) of another customer's prospect, as a marker that both were handled.
    await f.messaging.send(
      TOPICS.customerGoldenRecordMasteredV1,
      goldenCustomer('golden-marker', 1, { x3CustomerCodes: ['C00006'], pardotProspectIds: ['600001'] }),
    );
    await f.messaging.send(TOPICS.engagementActivityRecordedV1, activity('m-1', '600001', 1, new Date()));
    await f.messaging.waitForEvents(TOPICS.engagementScoreChangedV1, (events) =>
      events.some((e) => e.value.x3CustomerCode === 'C00006'),
    );
    await waitFor(async () => (await customer('C00006'))['YENGSCORE'] === 3, {
      description: 'the marker score',
    });
    expect(
      f.messaging
        .events(TOPICS.engagementScoreChangedV1)
        .slice(eventsBefore)
        .map((e) => e.value.x3CustomerCode),
    ).toEqual(['C00006']);
    expect(await scoreWrites('C00005')).toHaveLength(writesBefore);
  });

  it('scores the activities of a prospect linked to the customer later', async () => {
    await f.messaging.send(TOPICS.engagementActivityRecordedV1, activity('l-1', '700001', 24, new Date()));
    await f.messaging.send(
      TOPICS.customerGoldenRecordMasteredV1,
      goldenCustomer('golden-late', 1, { x3CustomerCodes: ['C00007'], pardotProspectIds: ['700001'] }),
    );
    // Attended webinar: 15.
    await waitFor(async () => (await customer('C00007'))['YENGSCORE'] === 15, {
      description: 'the late-linked score on the X3 customer',
    });
  });

  it('scores the activities of a prospect pardot-writer upserted, which mdm links without a new version', async () => {
    await f.messaging.send(
      TOPICS.customerGoldenRecordMasteredV1,
      goldenCustomer('golden-upserted', 3, { x3CustomerCodes: ['C00009'], pardotProspectIds: [] }),
    );
    await f.messaging.send(TOPICS.engagementActivityRecordedV1, activity('u-1', '900001', 4, new Date()));
    await f.messaging.send(TOPICS.pardotProspectUpsertedV1, {
      goldenId: 'golden-upserted',
      prospectId: '900001',
      businessUnitId: null,
      email: 'upserted@engaged.example',
      firstName: null,
      lastName: null,
      company: null,
      salesforceLeadId: null,
      salesforceContactId: null,
      score: null,
      grade: null,
      customFields: {},
      created: true,
      upsertedAt: new Date(),
    });
    // Form success: 10.
    await waitFor(async () => (await customer('C00009'))['YENGSCORE'] === 10, {
      description: 'the score of the upserted prospect on the X3 customer',
    });
    // A version mdm published before it stored the link, read after it, keeps the prospect.
    await f.messaging.send(
      TOPICS.customerGoldenRecordMasteredV1,
      goldenCustomer('golden-upserted', 4, { x3CustomerCodes: ['C00009'], pardotProspectIds: [] }),
    );
    await waitFor(
      async () =>
        (
          (await f.app.nest
            .get(DataSource)
            .query(
              "SELECT pardot_prospect_ids FROM x3_order_writer_golden_customer WHERE golden_id = 'golden-upserted' AND version = 4",
            )) as { pardot_prospect_ids: string[] }[]
        )[0]?.pardot_prospect_ids.includes('900001') === true,
      { description: 'version 4 applied with the linked prospect' },
    );
  });

  it('scores an activity stored while its prospect is being linked: neither transaction misses the other', async () => {
    const db = f.app.nest.get(DataSource);
    const emitted: EngagementScore[] = [];
    // The handlers as the consumers call them, each in a transaction the test holds open.
    const context = (manager: EntityManager) =>
      ({
        entityManager: manager,
        signal: new AbortController().signal,
        emit: (_topic: unknown, value: unknown) => void emitted.push(value as EngagementScore),
      }) as unknown as MessageContext;
    let linkWritten!: () => void;
    let commitLink!: () => void;
    const written = new Promise<void>((resolve) => (linkWritten = resolve));
    const commit = new Promise<void>((resolve) => (commitLink = resolve));
    const linking = db.transaction(async (manager) => {
      await f.app.nest.get(GoldenCustomerHandler).handle(
        [
          {
            event: goldenCustomer('golden-race', 1, {
              x3CustomerCodes: ['C00008'],
              pardotProspectIds: ['800001'],
            }),
            context: context(manager),
          },
        ],
        { entityManager: manager, signal: new AbortController().signal },
      );
      linkWritten();
      await commit;
    });
    await written;
    let stored = false;
    const storing = db
      .transaction(async (manager) =>
        f.app.nest
          .get(EngagementActivityHandler)
          .handle([{ event: activity('r-1', '800001', 4, new Date()), context: context(manager) }], {
            entityManager: manager,
            signal: new AbortController().signal,
          }),
      )
      .then(() => (stored = true));
    // The activity's transaction either waits for the link's (the prospect's lock) or, without it, ends.
    await waitFor(
      async () =>
        stored ||
        (
          (await db.query(
            `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          )) as unknown[]
        ).length > 0,
      { description: 'the activity transaction waiting for the link, or done' },
    );
    commitLink();
    await Promise.all([linking, storing]);
    expect(emitted.filter((score) => score.x3CustomerCode === 'C00008')).toMatchObject([
      { activityCount: 1, score: 10 },
    ]);
  });

  it('lowers the score of a quiet customer as time passes and forgets activities beyond the horizon', async () => {
    const db = f.app.nest.get(DataSource);
    const stored = async (id: string) =>
      (
        (await db.query('SELECT 1 FROM x3_order_writer_engagement_activity WHERE activity_id = $1', [
          id,
        ])) as unknown[]
      ).length === 1;
    // An activity older than the 365-day horizon: kept until the next refresh, never counted.
    await f.messaging.send(
      TOPICS.engagementActivityRecordedV1,
      activity('old-1', '500001', 4, new Date(Date.now() - 400 * DAY)),
    );
    await waitFor(() => stored('old-1'), { description: 'the old activity stored' });

    // Sixty days later, C00005's form success weighs 10 × 0.25 and its open 1 × 0.125: 2.6 → 3.
    const changed = await f.app.nest.get(EngagementRefreshService).refresh(Date.now() + 60 * DAY);
    expect(changed).toBeGreaterThanOrEqual(3);
    expect(await stored('old-1')).toBe(false);
    expect(await stored('e-1')).toBe(true);
    await waitFor(async () => (await customer('C00005'))['YENGSCORE'] === 3, {
      description: 'the lowered score on the X3 customer',
    });
  });
});
