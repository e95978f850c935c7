import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS } from '@pardot-x3/canonical';
import { computeEngagementScore, parseEngagementPolicy } from '@pardot-x3/engagement';
import { findRepositoryRoot } from '@pardot-x3/local-stack';
import { waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerFlowWorld, PARDOT_BUSINESS_UNIT } from './customer-flow.fixture.js';

const BASE_PORT = 21000;
const YEAR_SECONDS = String(365 * 86_400);

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
  const policy = parseEngagementPolicy(
    readFileSync(join(findRepositoryRoot(), 'config', 'engagement.yaml'), 'utf8'),
    'config/engagement.yaml',
  );

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
    // An X3 customer mdm linked to prospects that engaged (the golden records x3-order-writer knows).
    const chosen = await waitFor(
      async () => {
        const rows = await world.query<{ x3_customer_codes: string[]; pardot_prospect_ids: string[] }>(
          "SELECT x3_customer_codes, pardot_prospect_ids FROM x3_order_writer_golden_customer WHERE x3_customer_codes <> '{}' AND pardot_prospect_ids <> '{}'",
        );
        const ranked = rows
          .map((row) => ({
            code: row.x3_customer_codes[0] ?? '',
            count: activities.filter((a) => row.pardot_prospect_ids.includes(String(a.prospectId))).length,
          }))
          .filter((c) => c.count > 0)
          .sort((x, y) => y.count - x.count);
        return ranked[0];
      },
      { timeoutMs: 180_000, intervalMs: 2_000, description: 'an X3 customer linked to engaged prospects' },
    );

    // Settled: the newest score of the customer counts every activity of the prospects of its golden
    // record (x3-order-writer's directory), and X3 holds it.
    const settled = await waitFor(
      async () => {
        const rows = await world.query<{ pardot_prospect_ids: string[] }>(
          'SELECT pardot_prospect_ids FROM x3_order_writer_golden_customer WHERE $1 = ANY(x3_customer_codes)',
          [chosen.code],
        );
        const prospectIds = new Set(rows.flatMap((r) => r.pardot_prospect_ids));
        const own = activities.filter((a) => prospectIds.has(String(a.prospectId)));
        const latest = world.messaging
          .events(TOPICS.engagementScoreChangedV1)
          .filter((e) => e.value.x3CustomerCode === chosen.code)
          .at(-1)?.value;
        if (!latest) return undefined;
        const expected = computeEngagementScore(
          own.map((a) => ({
            id: String(a.id),
            prospectId: String(a.prospectId),
            type: a.type,
            createdAt: Date.parse(a.createdAt),
          })),
          latest.computedAt.getTime(),
          policy,
        );
        if (latest.activityCount !== expected.counted) return undefined;
        const record = await world.x3Api<Record<string, unknown>>(
          'GET',
          `BPCUSTOMER('${chosen.code}')?representation=BPCUSTOMER.$details`,
        );
        return record['YENGSCORE'] === latest.score ? { record, latest, expected } : undefined;
      },
      {
        timeoutMs: 300_000,
        intervalMs: 2_000,
        description: `the settled engagement score on X3 customer ${chosen.code}`,
      },
    );
    const { record: written, latest, expected } = settled;
    // The formula of config/engagement.yaml over the prospects' activities gives what X3 holds.
    expect(latest.score).toBe(Math.round(expected.score));
    expect(latest.lastActivityAt?.getTime()).toBe(expected.lastEngagementAt);
    expect(written['YLASTENGDAT']).toBe(latest.lastActivityAt?.toISOString().slice(0, 10) ?? null);
    expect(written['UPDUSR']).toBe('px3');
    console.log(
      `[engagement-e2e] X3 customer ${chosen.code}: ${expected.counted} activities → score ${latest.score}, last engagement ${String(written['YLASTENGDAT'])}`,
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
        .filter((e) => e.value.recordId === chosen.code && e.value.origin?.toLowerCase() === 'px3'),
    ).toEqual([]);
  });
});
