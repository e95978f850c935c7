import { signWebhook } from '@pardot-x3/access';
import { CONSUMER_GROUPS, TOPICS, type SourceRecordChanged } from '@pardot-x3/canonical';
import { TestMessaging } from '@pardot-x3/flow-testing';
import { createServiceApp, type ServiceApp } from '@pardot-x3/service-runtime';
import { createTestDatabase } from '@pardot-x3/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { x3IngestConfigSchema, type X3IngestConfig } from '../src/x3-ingest.config.js';
import { X3WebhookReplayStore } from '../src/x3-webhook/x3-webhook-replay.store.js';

const PORT = 21032;
const SECRET = 'x3-webhook-bad-input-secret';

/** A BPCUSTOMER notification as X3 sends it; `record` overrides the record's fields. */
function notification(code: string, record: Record<string, unknown> = {}, key: unknown = code): string {
  return JSON.stringify({
    eventId: `evt-${code}`,
    folder: 'SEED',
    class: 'BPCUSTOMER',
    key,
    changeType: 'UPDATE',
    record: { BPCNUM: code, BPCNAM: 'Replay SARL', UPDDATTIM: '2026-11-20T09:15:00Z', UPDTICK: 3, ...record },
  });
}

interface Signed {
  readonly body: Buffer;
  readonly timestamp: string;
  readonly signature: string;
}

function sign(body: string | Buffer, timestamp = String(Math.floor(Date.now() / 1000))): Signed {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return { body: bytes, timestamp, signature: signWebhook(SECRET, timestamp, bytes) };
}

async function send(
  request: Signed,
): Promise<{ status: number; body: { status?: string; message?: string } }> {
  const response = await fetch(`http://127.0.0.1:${PORT}/webhooks/x3`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-x3-timestamp': request.timestamp,
      'x-x3-signature': request.signature,
    },
    body: request.body,
  });
  return { status: response.status, body: (await response.json()) as { status?: string; message?: string } };
}

/**
 * Issue 11 at the X3 webhook, on the real broker, registry and PostgreSQL: a signed request sent again
 * is refused (409) instead of being answered as if new — accepted signatures are remembered in
 * PostgreSQL while the tolerance window could let them through; and signed notifications with bad
 * input (bytes that are not UTF-8, a NUL byte in the key, a numeric BPCNUM, a non-numeric UPDTICK)
 * are refused with a 400 naming the problem, publishing nothing (they answered 500, or 200).
 */
describe('x3-ingest webhook: replays and bad input', () => {
  let messaging: TestMessaging;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ServiceApp<X3IngestConfig>;

  const published = (code: string): SourceRecordChanged[] =>
    messaging
      .events<SourceRecordChanged>(TOPICS.x3CustomerChangedV1)
      .flatMap((e) => (e.value?.recordId === code ? [e.value] : []));

  beforeAll(async () => {
    messaging = await TestMessaging.start({
      label: 'x3-webhook-bad-input',
      topics: [TOPICS.x3CustomerChangedV1, TOPICS.x3NotificationReceivedV1],
      groups: [CONSUMER_GROUPS.x3IngestNotifications],
      collect: [TOPICS.x3CustomerChangedV1],
    });
    database = await createTestDatabase('x3-webhook-bad-input');
    app = await createServiceApp({
      service: 'x3-ingest',
      configSchema: x3IngestConfigSchema,
      module: (config) => AppModule.register(config),
      env: messaging.serviceEnv(PORT, {
        DATABASE_URL: database.url,
        X3_BASE_URL: 'http://127.0.0.1:9',
        X3_FOLDER: 'SEED',
        X3_USERNAME: 'PX3INTEG',
        X3_PASSWORD: 'not-used',
        X3_POLL_CLASSES: '',
        X3_CUSTOMER_TURNOVER: 'false',
        X3_WEBHOOK_SECRET: SECRET,
      }),
    });
    await app.listen();
  });

  afterAll(async () => {
    await app?.shutdown('test end');
    await messaging?.close();
    await database?.drop();
  });

  it('refuses a replayed signed request with 409 and a clear message; the same change signed anew is not a replay', async () => {
    const request = sign(notification('C00901'));
    expect(await send(request)).toEqual({ status: 202, body: { status: 'queued' } });

    const replay = await send(request);
    expect(replay.status).toBe(409);
    expect(replay.body.message).toMatch(
      /^this signed X3 notification was already received at \d{4}-.*: a replay is refused/,
    );
    // the hex digits in another case are the same signature
    const upper = await send({ ...request, signature: `sha256=${request.signature.slice(7).toUpperCase()}` });
    expect(upper.status).toBe(409);

    // X3 retrying signs again with a fresh timestamp: handled (queued; the worker finds the version
    // already published and does not publish it again)
    const again = await send(sign(notification('C00901'), String(Number(request.timestamp) + 1)));
    expect(again).toEqual({ status: 202, body: { status: 'queued' } });

    await messaging.waitForEvents(TOPICS.x3CustomerChangedV1, () => published('C00901').length >= 1);
    expect(published('C00901')).toHaveLength(1);
  });

  it('forgets a claimed signature when the request was not handled, and claims expired ones again; old rows are deleted', async () => {
    const store = app.nest.get(X3WebhookReplayStore);
    const signature = `sha256=${'a'.repeat(64)}`;
    expect(await store.claim(signature, 300)).toEqual({ replay: false });
    expect((await store.claim(signature, 300)).replay).toBe(true);
    await store.release(signature);
    expect(await store.claim(signature, 300)).toEqual({ replay: false });

    // claimed an hour ago with a 1 s tolerance: expired, so claimed again, and purged by a later claim
    const hourAgo = new Date(Date.now() - 3600_000);
    const old = `sha256=${'b'.repeat(64)}`;
    const fresh = new X3WebhookReplayStore(app.nest.get(DataSource));
    expect(await fresh.claim(old, 1, hourAgo)).toEqual({ replay: false });
    expect(await fresh.claim(old, 1, new Date(hourAgo.getTime() + 5000))).toEqual({ replay: false });
    await fresh.claim(`sha256=${'c'.repeat(64)}`, 300);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const rows = await client.query(
        'SELECT signature_sha256 FROM x3_ingest_webhook_signature WHERE signature_sha256 = $1',
        [X3WebhookReplayStore.keyOf(old)],
      );
      expect(rows.rowCount).toBe(0);
      const all = await client.query('SELECT signature_sha256 FROM x3_ingest_webhook_signature');
      expect(all.rows.map((r: { signature_sha256: string }) => r.signature_sha256)).not.toContain(signature);
      // nothing but hashes is stored
      expect(JSON.stringify(all.rows)).not.toContain('aaaa');
    } finally {
      await client.end();
    }
  });

  it('answers 400 naming the problem to bytes that are not UTF-8, a NUL byte in the key, a numeric BPCNUM and a non-numeric UPDTICK, and publishes nothing', async () => {
    const cases: { body: string | Buffer; problem: RegExp }[] = [
      {
        // valid JSON, but the name's bytes are not UTF-8 (a parser would turn them into U+FFFD)
        body: Buffer.from(notification('C00902', { BPCNAM: 'Replay \u00ff\u00fe SARL' }), 'latin1'),
        problem: /^the request body is not valid UTF-8$/,
      },
      { body: notification('C00903\u0000'), problem: /key: contains a NUL character/ },
      {
        body: notification('C00904', { BPCNUM: 904 }, '904'),
        problem: /BPCNUM \(key\) must be a text, not a number \(904\)/,
      },
      {
        body: notification('C00905', { UPDTICK: 'three' }),
        problem: /UPDTICK \(the version\) must be a whole number/,
      },
    ];
    for (const c of cases) {
      const answer = await send(sign(c.body));
      expect(answer.status, String(c.body)).toBe(400);
      expect(answer.body.message).toMatch(c.problem);
    }
    // a good one after them flows, and none of the refused ones did
    expect((await send(sign(notification('C00906')))).status).toBe(202);
    await messaging.waitForEvents(TOPICS.x3CustomerChangedV1, () => published('C00906').length >= 1);
    for (const code of ['C00902', 'C00903\u0000', 'C00904', '904', 'C00905'])
      expect(published(code)).toEqual([]);
  });
});
