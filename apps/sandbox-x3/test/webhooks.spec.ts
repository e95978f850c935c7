import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { X3Sandbox, eventually } from './x3-sandbox.harness.js';

const sandbox = new X3Sandbox(15304, { X3_WEBHOOK_RETRY_BASE_MS: '50', X3_WEBHOOK_MAX_ATTEMPTS: '3' });
const RECEIVER_PORT = 15305;
const SECRET = 'a-webhook-secret-for-tests';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}
const received: Received[] = [];
/** Status codes the receiver answers with, in turn; 204 once the list is used up. */
let answers: number[] = [];
let receiver: Server;

interface Delivery {
  eventId: string;
  className: string;
  key: string;
  state: string;
  attempts: { status?: number; error?: string }[];
}
const deliveries = async (): Promise<Delivery[]> =>
  ((await sandbox.admin('GET', '/__admin/x3/webhook-deliveries')).json as { deliveries: Delivery[] })
    .deliveries;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answers.shift() ?? 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(RECEIVER_PORT, '127.0.0.1', resolve));
  await sandbox.start();
});
afterAll(async () => {
  await sandbox.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(async () => {
  await sandbox.admin('POST', '/__admin/reset');
  received.length = 0;
  answers = [];
});

const target = (classes?: string[]) => ({
  id: 'erp-events',
  url: `http://127.0.0.1:${RECEIVER_PORT}/webhooks/x3`,
  secret: SECRET,
  ...(classes ? { classes } : {}),
});

describe('webhook emitter', () => {
  it('POSTs a signed notification for a change, verifiable with an independent HMAC-SHA256', async () => {
    await sandbox.admin('POST', '/__admin/x3/webhooks', target());
    await sandbox.api('PUT', "BPCUSTOMER('C00005')?representation=BPCUSTOMER.$edit", {
      TEL: '+1 303 555 0100',
    });
    const [notification] = await eventually(async () => received.length > 0 && received, 'the notification');
    const timestamp = notification?.headers['x-x3-timestamp'] as string;
    const expected = `sha256=${createHmac('sha256', SECRET)
      .update(`${timestamp}.${notification?.body ?? ''}`)
      .digest('hex')}`;
    expect(notification?.headers['x-x3-signature']).toBe(expected);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(300);
    expect(notification?.headers['content-type']).toBe('application/json');
    const body = JSON.parse(notification?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({
      eventId: notification?.headers['x-x3-event-id'],
      folder: 'SEED',
      class: 'BPCUSTOMER',
      representation: 'BPCUSTOMER',
      key: 'C00005',
      changeType: 'UPDATE',
      UPDTICK: 2,
      record: { BPCNUM: 'C00005', TEL: '+1 303 555 0100', $uuid: expect.any(String) },
    });
    expect(body['UPDDATTIM']).toBe((body['record'] as Record<string, unknown>)['UPDDATTIM']);
    expect(typeof body['occurredAt']).toBe('string');
    expect(
      await eventually(async () => (await deliveries())[0]?.state === 'delivered', 'delivered state'),
    ).toBe(true);
  });

  it('announces an order, its allocation and a validated delivery, in change order', async () => {
    await sandbox.admin('POST', '/__admin/x3/webhooks', target());
    const rows = (await sandbox.api('GET', 'ITMMVT?representation=ITMMVT.$query&count=1000')).json[
      '$resources'
    ] as { ITMREF: string; STOFCY: string; PHYSTO: number; PHYALL: number }[];
    const item = rows.find((r) => r.STOFCY === 'FR011' && r.PHYSTO - r.PHYALL >= 1)?.ITMREF;
    await sandbox.api('POST', 'SORDER?representation=SOH.$create', {
      BPCORD: 'C00001',
      SORDERQ: [{ ITMREF: item, QTY: 1 }],
    });
    await sandbox.api('POST', 'SDELIVERY?representation=SDH.$create', { SOHNUM: 'SO0000001' });
    await sandbox.admin('POST', '/__admin/x3/deliveries/SD0000001/validate');
    const all = await eventually(async () => received.length >= 6 && received, 'six notifications');
    expect(
      all
        .map((r) => JSON.parse(r.body) as { class: string; changeType: string })
        .map((b) => `${b.class} ${b.changeType}`),
    ).toEqual([
      'SORDER CREATE',
      'ITMMVT UPDATE',
      'SDELIVERY CREATE',
      'ITMMVT UPDATE',
      'SDELIVERY UPDATE',
      'SORDER UPDATE',
    ]);
  });

  it('retries a non-2xx answer with backoff until it is accepted; the attempts show in the admin API', async () => {
    answers = [500, 503];
    await sandbox.admin('POST', '/__admin/x3/webhooks', target());
    await sandbox.api('PUT', "BPCUSTOMER('C00006')?representation=BPCUSTOMER.$edit", { TEL: '1' });
    const [delivery] = await eventually(async () => {
      const list = await deliveries();
      return list[0]?.state === 'delivered' && list;
    }, 'the delivery after retries');
    expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 503, 204]);
    expect(received).toHaveLength(3);
    // each attempt is signed anew, the body is the same
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
  });

  it('marks a notification failed after the last attempt and goes on with the next one', async () => {
    answers = [500, 500, 500];
    await sandbox.admin('POST', '/__admin/x3/webhooks', target());
    await sandbox.api('PUT', "BPCUSTOMER('C00007')?representation=BPCUSTOMER.$edit", { TEL: '1' });
    await sandbox.api('PUT', "BPCUSTOMER('C00008')?representation=BPCUSTOMER.$edit", { TEL: '2' });
    const list = await eventually(async () => {
      const all = await deliveries();
      return all.length === 2 && all.every((d) => d.state !== 'pending') && all;
    }, 'both deliveries settled');
    expect(list.map((d) => [d.key, d.state, d.attempts.length])).toEqual([
      ['C00007', 'failed', 3],
      ['C00008', 'delivered', 1],
    ]);
    const failed = (
      (await sandbox.admin('GET', '/__admin/x3/webhook-deliveries?state=failed')).json as {
        deliveries: Delivery[];
      }
    ).deliveries;
    expect(failed.map((d) => d.key)).toEqual(['C00007']);
  });

  it('records network errors as attempts, and sends only the classes a target asked for', async () => {
    await sandbox.admin('POST', '/__admin/x3/webhooks', { ...target(['SORDER']), id: 'orders-only' });
    await sandbox.admin('POST', '/__admin/x3/webhooks', {
      id: 'nobody-home',
      url: 'http://127.0.0.1:15349/none',
      secret: SECRET,
      classes: ['BPCUSTOMER'],
    });
    await sandbox.api('PUT', "BPCUSTOMER('C00009')?representation=BPCUSTOMER.$edit", { TEL: '1' });
    const [unreachable] = await eventually(async () => {
      const list = await deliveries();
      return list[0]?.state === 'failed' && list;
    }, 'the unreachable target to fail');
    expect(unreachable).toMatchObject({
      key: 'C00009',
      attempts: [{ error: expect.stringMatching(/fetch failed/) }, expect.anything(), expect.anything()],
    });
    expect(received).toHaveLength(0);
    expect(
      (
        (await sandbox.admin('GET', '/__admin/x3/webhooks')).json as {
          targets: { id: string; url: string }[];
        }
      ).targets.map((t) => t.id),
    ).toEqual(['orders-only', 'nobody-home']);
    expect(JSON.stringify((await sandbox.admin('GET', '/__admin/x3/webhooks')).json)).not.toContain(SECRET);
  });

  it('refuses a target without an http URL or with a short secret', async () => {
    expect(
      (await sandbox.admin('POST', '/__admin/x3/webhooks', { url: 'ftp://x', secret: SECRET })).status,
    ).toBe(400);
    expect(
      (await sandbox.admin('POST', '/__admin/x3/webhooks', { url: 'http://127.0.0.1:1/x', secret: 'short' }))
        .status,
    ).toBe(400);
    expect(
      (
        await sandbox.admin('POST', '/__admin/x3/webhooks', {
          url: 'http://127.0.0.1:1/x',
          secret: SECRET,
          classes: ['ITMMASTER'],
        })
      ).status,
    ).toBe(400);
  });
});
