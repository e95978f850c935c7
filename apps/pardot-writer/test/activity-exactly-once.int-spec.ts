import { CONSUMER_GROUPS, TOPICS } from '@pardot-x3/canonical';
import { PardotClient } from '@pardot-x3/pardot-connector';
import { waitFor } from '@pardot-x3/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPardotWriter, type PardotWriterFixture } from './support/pardot-writer.fixture.js';

const POST_ACTIVITY = 'POST /api/v5/external-activities';
const ACTIVITIES = CONSUMER_GROUPS.pardotWriterErpActivities.name;
const SHIPPED = 'X3_Order_Shipped';
const EMAIL = 'once.only@exactly.example';
/** Order and delivery numbers unique to this run (a sandbox left running by an earlier run keeps its ledger). */
const RUN = Date.now().toString(36).slice(-6).toUpperCase();
const SO = (n: number) => `SO${n}-${RUN}`;
const SD = (n: number) => `SD${n}-${RUN}`;

/**
 * An external activity has no idempotency key in Account Engagement, so "exactly once" has to survive
 * the two windows where the pipeline cannot know whether Pardot created it (issue 10's long chaos run
 * found two activities sent twice):
 * - the answer is lost after Pardot applied the POST (a reset connection): the client must not repeat the
 *   POST; the writer looks for the activity once Pardot's reads can be trusted;
 * - the writer is killed between Pardot's answer and the commit of the event: the `sending` mark it
 *   committed before the call makes the re-delivery look before it sends.
 * The read lag is 0 here (the sandbox has no cache) and the call timeout 2 s, so the check comes quickly.
 */
describe('pardot-writer: an external activity is created once even when the answer or the process is lost', () => {
  let f: PardotWriterFixture;
  let db: DataSource;
  let pardot: PardotClient;

  beforeAll(async () => {
    f = await startPardotWriter({
      label: 'pw-activity-once',
      httpPort: 21018,
      salesforcePort: 21113,
      pardotPort: 21213,
      webhookPort: 21453,
      env: { PARDOT_READ_LAG_MS: '0', PARDOT_TIMEOUT_MS: '2000' },
    });
    db = f.app.nest.get(DataSource);
    pardot = f.app.nest.get(PardotClient);
    await pardot.upsertProspectByEmail(EMAIL, { firstName: 'Once', lastName: 'Only' });
  });

  afterAll(async () => {
    await f?.close();
  });

  const shipment = (deliveryNumber: string, orderNumber: string) => ({
    deliveryNumber,
    orderNumber,
    opportunityId: null,
    x3CustomerCode: 'C00ONCE',
    customerEmail: EMAIL,
    deliveryDate: '2026-12-01',
    validatedAt: new Date('2026-12-01T09:30:00Z'),
    shipSite: 'FR011',
    carrier: null,
    trackingNumber: null,
    lines: [],
  });
  const postsOf = async (value: string) =>
    (await f.pardot.ledger(POST_ACTIVITY)).filter(
      (e) => (e.requestBody as { value?: string } | undefined)?.value === value,
    );
  const activitiesIn = async (value: string) => {
    const found = [];
    for await (const a of pardot.queryExternalActivities({ createdSince: new Date(Date.now() - 600_000) }))
      if (a.value === value && a.type === SHIPPED) found.push(a);
    return found;
  };
  const stateOf = async (deliveryNumber: string): Promise<string | undefined> => {
    const rows = (await db.query(
      'SELECT state FROM pardot_writer_erp_activity WHERE activity_type = $1 AND business_key = $2',
      [SHIPPED, deliveryNumber],
    )) as { state: string }[];
    return rows[0]?.state;
  };
  const sentMark = (deliveryNumber: string) =>
    waitFor(async () => ((await stateOf(deliveryNumber)) === 'sent' ? true : undefined), {
      timeoutMs: 45_000,
      description: `the ${deliveryNumber} activity to be recorded as sent`,
    });
  const deadLettersAbout = async (text: string) =>
    (await (await f.messaging.messaging.deadLetterInspector()).read(ACTIVITIES)).filter((d) =>
      JSON.stringify(d).includes(text),
    );

  it('does not repeat a POST whose answer was lost: it finds the activity Pardot applied and sends nothing more', async () => {
    await f.pardot.admin('POST', '/faults', {
      id: 'activity-lost-answer',
      route: POST_ACTIVITY,
      dropResponse: true,
    });
    await f.messaging.send(TOPICS.salesShipmentValidatedV1, shipment(SD(901), SO(901)));
    await waitFor(async () => ((await postsOf(SO(901))).length > 0 ? true : undefined), {
      timeoutMs: 30_000,
      description: 'the activity POST whose answer is lost',
    });
    await f.pardot.admin('DELETE', '/faults/activity-lost-answer');
    await sentMark(SD(901));

    const posts = await postsOf(SO(901));
    expect(posts).toHaveLength(1);
    expect(posts[0]?.status).toBe(0); // applied, and its answer never left the sandbox
    expect(await activitiesIn(SO(901))).toHaveLength(1);
    expect(await deadLettersAbout(SD(901))).toEqual([]);
  });

  it('after a kill between Pardot’s answer and the commit, the re-delivery finds the activity and does not send it again', async () => {
    // The state a killed writer leaves: its `sending` mark committed, Pardot holding the activity, the
    // event not committed (so it is delivered again).
    await db.query(
      `INSERT INTO pardot_writer_erp_activity (activity_type, business_key, email, value, state, attempt_started_at)
       VALUES ($1, $3, $2, $4, 'sending', date_trunc('milliseconds', now()))`,
      [SHIPPED, EMAIL, SD(902), SO(902)],
    );
    await pardot.createExternalActivity({ type: SHIPPED, email: EMAIL, value: SO(902) });

    await f.messaging.send(TOPICS.salesShipmentValidatedV1, shipment(SD(902), SO(902)));
    await sentMark(SD(902));

    expect(await postsOf(SO(902))).toHaveLength(1); // the one the killed writer made
    expect(await activitiesIn(SO(902))).toHaveLength(1);
    expect(await deadLettersAbout(SD(902))).toEqual([]);
  });

  it('after a kill before the call reached Pardot, the re-delivery sends the activity, once', async () => {
    await db.query(
      `INSERT INTO pardot_writer_erp_activity (activity_type, business_key, email, value, state, attempt_started_at)
       VALUES ($1, $3, $2, $4, 'sending', date_trunc('milliseconds', now()))`,
      [SHIPPED, EMAIL, SD(903), SO(903)],
    );

    await f.messaging.send(TOPICS.salesShipmentValidatedV1, shipment(SD(903), SO(903)));
    await sentMark(SD(903));

    expect(await postsOf(SO(903))).toHaveLength(1);
    expect(await activitiesIn(SO(903))).toHaveLength(1);
    expect(await deadLettersAbout(SD(903))).toEqual([]);
  });
});
