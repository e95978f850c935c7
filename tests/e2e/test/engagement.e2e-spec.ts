import { TOPICS } from '@pardot-x3/canonical';
import { waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerFlowWorld, PARDOT_BUSINESS_UNIT } from './customer-flow.fixture.js';

const BASE_PORT = 21000;
const YEAR_SECONDS = String(365 * 86_400);
const DAY_MS = 86_400_000;

/*
 * The expected values, worked out by hand from the inputs (not with the production formula). The
 * sandboxes' world (seed 7, reference date 2026-11-01T00:00:00Z) gives X3 customer C00006 (Orion Group)
 * the prospect ethan.smit@orion-group.example with five visitor activities; config/engagement.yaml
 * weighs them and halves a weight every 30 days:
 *
 *   id    type     created (UTC)         weight  age at the reference   weight × ½^(age/30)
 *   1015  Open     2026-07-09T20:16:19Z      1    114.1553 d             0.0715
 *   1019  Sent     2026-07-14T06:03:34Z      0    109.7475 d             0
 *   1081  Click    2026-08-26T11:13:07Z      3     66.5326 d             0.6449
 *   1192  View     2026-10-27T03:42:48Z      1      4.8453 d             0.8941
 *   1196  Success  2026-10-28T05:57:30Z     10      3.7517 d             9.1697
 *                                                          sum at the reference 10.7802
 *
 * Every term decays alike, so at the moment the score is computed it is 10.7802 × ½^(days since the
 * reference / 30), rounded (≈ 4.6 → 5 on 2026-12-07). All five count until 2027-07-09, when 1015 leaves
 * the 365-day horizon. The last engagement is the newest activity of positive weight: 1196 (Success).
 */
const CUSTOMER = 'C00006';
const ACTIVITY_IDS = [1015, 1019, 1081, 1192, 1196];
const REFERENCE_MS = Date.parse('2026-11-01T00:00:00Z');
const SCORE_AT_REFERENCE = 10.7802;
const LAST_ENGAGEMENT = '2026-10-28T05:57:30.000Z';
const expectedScore = (computedAt: Date): number =>
  Math.round(SCORE_AT_REFERENCE * 0.5 ** ((computedAt.getTime() - REFERENCE_MS) / DAY_MS / 30));

interface VisitorActivity {
  readonly id: number;
  readonly prospectId: number;
  readonly type: number;
  readonly createdAt: string;
}

/**
 * Engagement roll-up, end to end: the Pardot visitor activities of a customer's prospect (polled by
 * salesforce-ingest, mapped by the transformer, rolled up by x3-order-writer with the customer's golden
 * record from mdm) become one Last Engagement Score and a last engagement date on the X3 customer; our
 * own write to X3 does not come back as a change.
 */
describe('engagement: Pardot visitor activities roll up into the X3 customer', () => {
  let world: CustomerFlowWorld;

  const pardotGet = async <T>(path: string): Promise<T> => {
    const token = await world.salesforceToken();
    const response = await fetch(`${world.pardot.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}`, 'pardot-business-unit-id': PARDOT_BUSINESS_UNIT },
    });
    if (!response.ok) throw new Error(`Pardot GET ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    world = await CustomerFlowWorld.start({
      label: 'engagement-e2e',
      basePort: BASE_PORT,
      collect: [TOPICS.engagementScoreChangedV1, TOPICS.x3CustomerChangedV1],
      // Read the seeded world from the start: every X3 customer and the past year of Pardot activity.
      serviceEnv: {
        'x3-ingest': { X3_POLL_INITIAL_LOOKBACK_SECONDS: YEAR_SECONDS },
        'salesforce-ingest': { PARDOT_POLL_INITIAL_LOOKBACK_SECONDS: YEAR_SECONDS },
        'pardot-writer': { ERP_ACTIVITY_TYPES: '' },
      },
    });
  });

  afterAll(async () => {
    await world?.stop();
  });

  it("writes the score of the customer's prospect activities and the last engagement date to the X3 customer; our write is no new change", async () => {
    const activities = (
      await pardotGet<{ values: VisitorActivity[] }>(
        '/api/v5/objects/visitor-activities?fields=id,prospectId,type,createdAt&limit=1000',
      )
    ).values;
    // The X3 customer whose prospect's activities the table above sums, once mdm linked them.
    const own = await waitFor(
      async () => {
        const rows = await world.query<{ pardot_prospect_ids: string[] }>(
          'SELECT pardot_prospect_ids FROM x3_order_writer_golden_customer WHERE $1 = ANY(x3_customer_codes)',
          [CUSTOMER],
        );
        const prospectIds = new Set(rows.flatMap((r) => r.pardot_prospect_ids));
        const ids = activities.filter((a) => prospectIds.has(String(a.prospectId))).map((a) => a.id);
        return ids.length > 0 ? ids.sort((x, y) => x - y) : undefined;
      },
      {
        timeoutMs: 180_000,
        intervalMs: 2_000,
        description: `X3 customer ${CUSTOMER} linked to its prospect`,
      },
    );
    expect(own).toEqual(ACTIVITY_IDS);

    // Settled: the newest score of the customer counts its five activities, and X3 holds it.
    const settled = await waitFor(
      async () => {
        const latest = world.messaging
          .events(TOPICS.engagementScoreChangedV1)
          .filter((e) => e.value.x3CustomerCode === CUSTOMER)
          .at(-1)?.value;
        if (latest?.activityCount !== ACTIVITY_IDS.length) return undefined;
        const record = await world.x3Api<Record<string, unknown>>(
          'GET',
          `BPCUSTOMER('${CUSTOMER}')?representation=BPCUSTOMER.$details`,
        );
        return record['YENGSCORE'] === latest.score ? { record, latest } : undefined;
      },
      {
        timeoutMs: 300_000,
        intervalMs: 2_000,
        description: `the settled engagement score on X3 customer ${CUSTOMER}`,
      },
    );
    const { record: written, latest } = settled;
    expect(latest.score).toBe(expectedScore(latest.computedAt));
    expect(latest.lastActivityAt?.toISOString()).toBe(LAST_ENGAGEMENT);
    expect(written['YENGSCORE']).toBe(expectedScore(latest.computedAt));
    expect(written['YLASTENGDAT']).toBe('2026-10-28');
    expect(written['UPDUSR']).toBe('px3');
    console.log(
      `[engagement-e2e] X3 customer ${CUSTOMER}: ${latest.activityCount} activities → score ${latest.score}, last engagement ${String(written['YLASTENGDAT'])}`,
    );

    // Our write to X3 is an echo for x3-ingest: dropped, never a new customer change.
    await waitFor(
      async () =>
        /px3_source_echoes_dropped_total\{[^}]*entity="BPCUSTOMER"[^}]*\} [1-9]/.test(
          await (await fetch(`${world.url('x3-ingest')}/metrics`)).text(),
        ),
      { timeoutMs: 60_000, description: 'the echo of our X3 write dropped by x3-ingest' },
    );
    expect(
      world.messaging
        .events(TOPICS.x3CustomerChangedV1)
        .filter((e) => e.value.recordId === CUSTOMER && e.value.origin?.toLowerCase() === 'px3'),
    ).toEqual([]);
  });
});
