import { PassThrough } from 'node:stream';
import { signWebhook } from '@pardot-x3/access';
import { CONSUMER_GROUPS, TOPICS, type SourceRecordChanged } from '@pardot-x3/canonical';
import { TestMessaging } from '@pardot-x3/flow-testing';
import { createServiceApp, type ServiceApp } from '@pardot-x3/service-runtime';
import { createTestDatabase, ServiceProcess, waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { x3IngestConfigSchema, type X3IngestConfig } from '../src/x3-ingest.config.js';

const PORT = 21033;
const X3_PORT = 21034;
const X3_URL = `http://127.0.0.1:${X3_PORT}`;
const SECRET = 'x3-webhook-queue-test-secret';
const ADMIN_TOKEN = 'x3-webhook-queue-admin-token';
const X3_USER = { name: 'PX3INTEG', password: 'x3-webhook-queue-password' };

interface SandboxRequest {
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

async function sandbox<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${X3_URL}/__admin${path}`, {
    method,
    headers: {
      'x-admin-token': ADMIN_TOKEN,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox ${method} ${path}: HTTP ${response.status}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** The sales-order queries X3 answered with `status` after request `afterSeq` (the turnover reads). */
async function orderQueries(status: number, afterSeq = 0): Promise<SandboxRequest[]> {
  const { requests } = await sandbox<{ requests: SandboxRequest[] }>('GET', '/requests');
  return requests.filter(
    (r) =>
      r.seq > afterSeq && r.method === 'GET' && r.path === '/api1/x3/erp/SEED/SORDER' && r.status === status,
  );
}

async function lastRequestSeq(): Promise<number> {
  const { requests } = await sandbox<{ requests: SandboxRequest[] }>('GET', '/requests');
  return requests.at(-1)?.seq ?? 0;
}

/** A signed BPCUSTOMER notification as X3 sends it, for version `tick` of customer `code`. */
async function notify(code: string, tick: number, city: string): Promise<{ status: number; body: unknown }> {
  const at = '2026-11-20T09:15:00Z';
  const body = JSON.stringify({
    eventId: `evt-${code}-${tick}`,
    folder: 'SEED',
    class: 'BPCUSTOMER',
    key: code,
    changeType: 'UPDATE',
    record: { BPCNUM: code, BPCNAM: 'Queue SARL', CUR: 'EUR', CTY: city, UPDDATTIM: at, UPDTICK: tick },
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`http://127.0.0.1:${PORT}/webhooks/x3`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-x3-timestamp': timestamp,
      'x-x3-signature': signWebhook(SECRET, timestamp, Buffer.from(body)),
    },
    body,
  });
  return { status: response.status, body: await response.json() };
}

/**
 * The webhook answers once the notification is queued in Kafka, and X3 is read behind it, in batches
 * (issue 12, ADR 0130): on the real broker, registry and PostgreSQL, with the X3 sandbox as X3 (its
 * faults make X3 down or slow; its request log counts the reads).
 */
describe('x3-ingest webhook: queued, X3 read behind it in batches', () => {
  let messaging: TestMessaging;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let x3: ServiceProcess;
  let app: ServiceApp<X3IngestConfig>;
  /** x3-ingest's log lines (at info, as it runs in the pipeline). */
  const logLines: Record<string, unknown>[] = [];

  const published = (code: string): SourceRecordChanged[] =>
    messaging
      .events<SourceRecordChanged>(TOPICS.x3CustomerChangedV1)
      .flatMap((e) => (e.value?.recordId === code ? [e.value] : []));

  beforeAll(async () => {
    messaging = await TestMessaging.start({
      label: 'x3-webhook-queue',
      topics: [TOPICS.x3CustomerChangedV1, TOPICS.x3SalesOrderChangedV1, TOPICS.x3NotificationReceivedV1],
      groups: [CONSUMER_GROUPS.x3IngestNotifications],
      collect: [TOPICS.x3CustomerChangedV1],
    });
    database = await createTestDatabase('x3-webhook-queue');
    x3 = await new ServiceProcess({
      app: 'sandbox-x3',
      env: {
        PORT: String(X3_PORT),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN,
        SANDBOX_TOKEN_SECRET: 'x3-webhook-queue-token-secret',
        X3_USERS: `${X3_USER.name}:${X3_USER.password}`,
      },
      logName: 'x3-ingest-queue-sandbox-x3.log',
    }).start();
    const logs = new PassThrough();
    logs.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim() !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
    });
    app = await createServiceApp({
      service: 'x3-ingest',
      configSchema: x3IngestConfigSchema,
      module: (config) => AppModule.register(config),
      logDestination: logs,
      env: messaging.serviceEnv(PORT, {
        LOG_LEVEL: 'info',
        DATABASE_URL: database.url,
        X3_BASE_URL: X3_URL,
        X3_FOLDER: 'SEED',
        X3_USERNAME: X3_USER.name,
        X3_PASSWORD: X3_USER.password,
        X3_POLL_CLASSES: '',
        X3_CUSTOMER_TURNOVER: 'true',
        X3_WEBHOOK_SECRET: SECRET,
      }),
    });
    await app.listen();
  });

  afterAll(async () => {
    await app?.shutdown('test end');
    await x3?.stop();
    await messaging?.close();
    await database?.drop();
  });

  it('accepts a notification while X3 is down (202, queued), and publishes the change with its turnover once X3 answers', async () => {
    await sandbox('POST', '/faults', { id: 'x3-down', route: '/api1/*', status: 503 });
    expect(await notify('C00001', 40, 'Nantes')).toEqual({ status: 202, body: { status: 'queued' } });

    // The worker tries X3 behind the answer, and is refused: nothing is published meanwhile.
    await waitFor(async () => ((await orderQueries(503)).length > 0 ? true : undefined), {
      timeoutMs: 30_000,
      description: 'the worker reading X3 while it is down',
    });
    expect(published('C00001')).toEqual([]);

    await sandbox('DELETE', '/faults/x3-down');
    const [change] = await messaging
      .waitForEvents(TOPICS.x3CustomerChangedV1, () => published('C00001').length > 0, {
        timeoutMs: 90_000,
        description: 'C00001 published once X3 is back',
      })
      .then(() => published('C00001'));
    expect(change?.fields['CTY']).toBe('Nantes');
    expect(change?.via).toBe('WEBHOOK');
    expect(typeof change?.fields['YTOTREVENUE']).toBe('string');
    expect(published('C00001')).toHaveLength(1);
  });

  it('reads X3 once per batch for a burst of notifications of one record, and publishes its newest version last', async () => {
    const before = await lastRequestSeq();
    // X3 slow: the first notification's batch waits on its read while the rest of the burst arrives,
    // answered at once, and queues up behind it.
    await sandbox('POST', '/faults', { id: 'x3-slow', route: '/api1/*', latencyMs: 2_000 });
    const burst = Array.from({ length: 30 }, (_, i) => i + 1);
    const answers = await Promise.all(burst.map((tick) => notify('C00002', tick, `City ${tick}`)));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    await messaging.waitForEvents(
      TOPICS.x3CustomerChangedV1,
      () => published('C00002').at(-1)?.fields['CTY'] === 'City 30',
      { timeoutMs: 90_000, description: 'the newest version of C00002' },
    );
    await sandbox('DELETE', '/faults/x3-slow');

    // Each batch keeps the newest version of the record and reads its orders once (none when that
    // version is older than one already published): as many reads as versions published, and far
    // fewer than the 30 notifications (the first one's batch, and the rest of the burst behind it).
    const reads = await orderQueries(200, before);
    const versions = published('C00002').map((c) => c.fields['CTY']);
    expect(versions.length).toBeLessThanOrEqual(3);
    expect(reads).toHaveLength(versions.length);
    expect(versions.at(-1)).toBe('City 30');
  });

  it('logs no line for an accepted notification (thousands a second), and keeps the warn line of a refused one', async () => {
    const requestLines = (): Record<string, unknown>[] =>
      logLines.filter(
        (l) =>
          l['msg'] === 'request completed' &&
          (l['req'] as { url?: string } | undefined)?.url === '/webhooks/x3',
      );
    const before = requestLines().length;
    expect((await notify('C00003', 1, 'Rennes')).status).toBe(202);
    const refused = await fetch(`http://127.0.0.1:${PORT}/webhooks/x3`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-x3-timestamp': '1', 'x-x3-signature': 'sha256=00' },
      body: '{}',
    });
    expect(refused.status).toBe(401);
    await waitFor(() => (requestLines().length > before ? true : undefined), {
      timeoutMs: 10_000,
      description: "the refused request's log line",
    });
    // Only the 401 is logged (warn); the 202 is at debug, below the service's info level.
    expect(requestLines().slice(before)).toEqual([
      expect.objectContaining({ level: 'warn', res: { statusCode: 401 } }),
    ]);
  });
});
