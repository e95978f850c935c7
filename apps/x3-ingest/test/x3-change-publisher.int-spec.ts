import { CONSUMER_GROUPS, TOPICS, type SourceRecordChanged } from '@pardot-x3/canonical';
import { TestMessaging } from '@pardot-x3/flow-testing';
import { x3SourceChange, type X3SourceChange } from '@pardot-x3/ingestion';
import { createServiceApp, type ServiceApp } from '@pardot-x3/service-runtime';
import { createTestDatabase, expectEveryRouteGuarded } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { X3ChangePublisher } from '../src/source-events/x3-change-publisher.service.js';
import { x3IngestConfigSchema, type X3IngestConfig } from '../src/x3-ingest.config.js';

const PORT = 21031;
const FOLDER = 'SEED';

/** One version of customer `code` as X3 shows it: same-second versions differ only in UPDTICK. */
function customerVersion(
  code: string,
  tick: number,
  city: string,
  via: 'WEBHOOK' | 'POLL',
  updatedBy = 'JDUPONT',
): X3SourceChange {
  return x3SourceChange({
    className: 'BPCUSTOMER',
    record: {
      BPCNUM: code,
      BPCNAM: 'Acme Industrie SARL',
      CTY: city,
      UPDDATTIM: '2026-11-20T14:05:09Z',
      UPDTICK: tick,
      UPDUSR: updatedBy,
    },
    via,
    folder: FOLDER,
    kind: 'UPDATE',
  });
}

/**
 * How X3 changes leave x3-ingest, on the real broker, registry and database: each version once,
 * echoes of our own writes never, and a record's topic ending on its newest version whichever channel
 * (webhook or poll) read which version first.
 */
describe('x3-ingest: publishing X3 changes', () => {
  let messaging: TestMessaging;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ServiceApp<X3IngestConfig>;
  let publisher: X3ChangePublisher;

  const cities = (code: string): string[] =>
    messaging
      .events<SourceRecordChanged>(TOPICS.x3CustomerChangedV1)
      .filter((e) => e.value?.recordId === code)
      .map((e) => String(e.value?.fields['CTY']));

  beforeAll(async () => {
    messaging = await TestMessaging.start({
      label: 'x3-ingest-publisher',
      topics: [TOPICS.x3CustomerChangedV1, TOPICS.x3SalesOrderChangedV1, TOPICS.x3NotificationReceivedV1],
      groups: [CONSUMER_GROUPS.x3IngestNotifications],
      collect: [TOPICS.x3CustomerChangedV1],
    });
    database = await createTestDatabase('x3-ingest-publisher');
    app = await createServiceApp({
      service: 'x3-ingest',
      configSchema: x3IngestConfigSchema,
      module: (config) => AppModule.register(config),
      env: messaging.serviceEnv(PORT, {
        DATABASE_URL: database.url,
        // No X3 server is called: no poller, no turnover enrichment (they read X3).
        X3_BASE_URL: 'http://127.0.0.1:9',
        X3_FOLDER: FOLDER,
        X3_USERNAME: 'PX3INTEG',
        X3_PASSWORD: 'not-used',
        X3_POLL_CLASSES: '',
        X3_CUSTOMER_TURNOVER: 'false',
      }),
    });
    await app.listen();
    publisher = app.nest.get(X3ChangePublisher);
  });

  afterAll(async () => {
    await app?.shutdown('test end');
    await messaging?.close();
    await database?.drop();
  });

  it('serves no route without credentials but health and metrics, and the X3 webhook, which the HMAC signature authenticates (issue 11)', async () => {
    const routes = await expectEveryRouteGuarded(app.nest, `http://127.0.0.1:${PORT}`, []);
    expect(routes.filter((r) => !r.startsWith('GET /health/') && r !== 'GET /metrics')).toEqual([
      'POST /webhooks/x3',
    ]);
  });

  it('ends on the newest version when the webhook and the poll publish two versions at once', async () => {
    // The webhook holds the newer version (tick 8) and the poll, a moment later, the older one (7),
    // both unpublished when they start: the older one must not reach the topic after the newer one.
    const [viaWebhook, viaPoll] = await Promise.all([
      publisher.publish([customerVersion('C00101', 8, 'Lyon', 'WEBHOOK')]),
      publisher.publish([customerVersion('C00101', 7, 'Paris', 'POLL')]),
    ]);
    expect(viaWebhook).toEqual({ published: 1, alreadyPublished: 0, echoes: 0 });
    expect(viaPoll).toEqual({ published: 0, alreadyPublished: 1, echoes: 0 });

    // A later version still goes out, after it.
    await publisher.publish([customerVersion('C00101', 9, 'Grenoble', 'POLL')]);
    await messaging.waitForEvents(TOPICS.x3CustomerChangedV1, () => cities('C00101').length >= 2, {
      description: 'two versions of C00101',
    });
    expect(cities('C00101')).toEqual(['Lyon', 'Grenoble']);
  });

  it('publishes a version read by both channels once, and drops updates made by our own X3 user', async () => {
    const change = customerVersion('C00102', 3, 'Nantes', 'WEBHOOK');
    const outcomes = await Promise.all([
      publisher.publish([change]),
      publisher.publish([customerVersion('C00102', 3, 'Nantes', 'POLL')]),
    ]);
    expect(outcomes.map((o) => o.published).sort()).toEqual([0, 1]);

    const echo = await publisher.publish([customerVersion('C00102', 4, 'Brest', 'POLL', 'PX3INTEG')]);
    expect(echo).toEqual({ published: 0, alreadyPublished: 0, echoes: 1 });
    // The echo is remembered: read again, it is neither published nor counted as an echo twice.
    const again = await publisher.publish([customerVersion('C00102', 4, 'Brest', 'WEBHOOK', 'PX3INTEG')]);
    expect(again).toEqual({ published: 0, alreadyPublished: 1, echoes: 0 });

    await messaging.waitForEvents(TOPICS.x3CustomerChangedV1, () => cities('C00102').length >= 1);
    // A marker version after the echo proves the topic was read past it.
    await publisher.publish([customerVersion('C00102', 5, 'Rennes', 'POLL')]);
    await messaging.waitForEvents(TOPICS.x3CustomerChangedV1, () => cities('C00102').length >= 2, {
      description: 'the marker version of C00102',
    });
    expect(cities('C00102')).toEqual(['Nantes', 'Rennes']);
  });
});
