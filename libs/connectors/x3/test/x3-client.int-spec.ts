import { createServer, type Server } from 'node:http';
import { verifyWebhookSignature, WebhookSignatureError } from '@pardot-x3/access';
import { ServiceProcess, waitFor } from '@pardot-x3/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  X3ApiError,
  X3BusinessError,
  X3Client,
  X3_WEBHOOK_SIGNER,
  x3Equals,
  type X3Resource,
} from '../src/index.js';

const X3_URL = 'http://127.0.0.1:19300';
const ADMIN_TOKEN = 'connector-tests-admin-token';
const USER = { username: 'px3', password: 'px3-connector-tests' };
const HOOK_PORT = 19350;
const HOOK_SECRET = 'connector-tests-webhook-secret';

async function admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${X3_URL}/__admin${path}`, {
    method,
    headers: {
      'x-admin-token': ADMIN_TOKEN,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`admin ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

function x3(overrides: Partial<ConstructorParameters<typeof X3Client>[0]> = {}): X3Client {
  return new X3Client({
    baseUrl: X3_URL,
    folder: 'SEED',
    ...USER,
    registry: new Registry(),
    retry: { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 500 },
    ...overrides,
  });
}

async function all(iterable: AsyncIterable<X3Resource>): Promise<X3Resource[]> {
  const out: X3Resource[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('X3Client against the Sage X3 sandbox (api1)', () => {
  let sandbox: ServiceProcess;

  beforeAll(async () => {
    sandbox = await new ServiceProcess({
      app: 'sandbox-x3',
      env: {
        PORT: '19300',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN,
        SANDBOX_TOKEN_SECRET: 'connector-tests-token-secret',
        X3_USERS: `${USER.username}:${USER.password}`,
      },
      readyUrl: `${X3_URL}/health/ready`,
      logName: 'connectors-sandbox-x3.log',
    }).start();
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('pages through a $query with $links.$next, and from a key with key=gt.', async () => {
    const client = x3();
    const customers = await all(
      client.query({ className: 'BPCUSTOMER', pageSize: 7, orderBy: 'BPCNUM asc' }),
    );
    const keys = customers.map((c) => String(c['BPCNUM']));
    expect(keys.length).toBeGreaterThan(7);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(keys);
    const after = await all(client.query({ className: 'BPCUSTOMER', pageSize: 5, keyAfter: keys[9]! }));
    expect(after.map((c) => c['BPCNUM'])).toEqual(keys.slice(10));
  });

  it('reads $details, and says plainly when a record does not exist', async () => {
    const client = x3();
    expect(await client.details({ className: 'BPCUSTOMER' }, 'C00001')).toMatchObject({ BPCNUM: 'C00001' });
    const error = await client.details({ className: 'BPCUSTOMER' }, 'NOPE99').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(X3BusinessError);
    expect((error as X3BusinessError).businessKind).toBe('record-not-found');
    expect((error as X3BusinessError).rawMessage).toMatch(/Record does not exist/);
    expect((error as Error).message).toMatch(/^Sage X3 refused the read of BPCUSTOMER NOPE99: /);
  });

  it('updates with $edit and finds the change with an UPDDATTIM window', async () => {
    const client = x3();
    const since = new Date(Date.now() - 1_000);
    await client.update({ className: 'BPCUSTOMER' }, 'C00002', { TEL: '+1 555 0100' });
    const changed = await all(client.changedSince({ className: 'BPCUSTOMER', since, keyProperty: 'BPCNUM' }));
    expect(changed.map((c) => c['BPCNUM'])).toContain('C00002');
    expect(changed.find((c) => c['BPCNUM'] === 'C00002')).toMatchObject({ TEL: '+1 555 0100' });
  });

  it('creates a customer with financial defaults under the given values', async () => {
    const client = x3();
    const name = `Connector Test ${Date.now() % 100_000}`;
    const { customerCode, customer } = await client.createCustomer(
      { BPCNAM: name, CRY: 'FR', CUR: 'EUR' },
      { BCGCOD: 'STD', CUR: 'USD', PTE: '30NET', VACBPR: 'FR', OSTCTL: 2 },
    );
    expect(customer).toMatchObject({ BPCNAM: name, CUR: 'EUR', PTE: '30NET', BCGCOD: 'STD' });
    expect((await client.findCustomers(x3Equals('BPCNAM', name))).map((c) => c['BPCNUM'])).toEqual([
      customerCode,
    ]);
  });

  it('creates a sales order once per opportunity: a redelivered request returns the same order number', async () => {
    const client = x3();
    const [item] = await all(client.query({ className: 'ITMMASTER', pageSize: 1 }));
    const reference = `006IT${Date.now() % 1_000_000_000}`;
    const request = {
      customerOrderReference: reference,
      header: { BPCORD: 'C00001', SALFCY: 'FR011' },
      lines: [{ ITMREF: item!['ITMREF'], QTY: 1, GROPRI: 10 }],
    };
    const first = await client.createSalesOrder(request);
    expect(first).toMatchObject({ created: true, orderNumber: expect.stringMatching(/\S+/) });
    const again = await client.createSalesOrder(request);
    expect(again).toMatchObject({ created: false, orderNumber: first.orderNumber });
    expect(
      await all(client.query({ className: 'SORDER', where: x3Equals('CUSORDREF', reference) })),
    ).toHaveLength(1);
  });

  it.each([
    ['an unknown product', { BPCORD: 'C00001' }, [{ ITMREF: 'NO-SUCH-ITEM', QTY: 1 }], 'unknown-product'],
    ['insufficient stock', { BPCORD: 'C00001' }, [{ QTY: 9_999_999 }], 'insufficient-stock'],
    ['a customer on credit hold', { BPCORD: 'C00004' }, [{ QTY: 1 }], 'credit-hold'],
  ])(
    'refuses an order for %s with a typed business error, keeping X3’s words',
    async (_label, header, lines, kind) => {
      const client = x3();
      const [item] = await all(client.query({ className: 'ITMMASTER', pageSize: 1 }));
      const error = await client
        .createSalesOrder({
          customerOrderReference: `006REJ${Date.now() % 1_000_000_000}`,
          header: { SALFCY: 'FR011', ...header },
          lines: lines.map((l) => ({ ITMREF: item!['ITMREF'], GROPRI: 10, ...l })),
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(X3BusinessError);
      expect((error as X3BusinessError).businessKind).toBe(kind);
      expect((error as X3BusinessError).retryable).toBe(false);
      expect((error as X3BusinessError).diagnoses.length).toBeGreaterThan(0);
    },
  );

  it('refuses wrong credentials as an authentication problem, and retries a 503 until it passes', async () => {
    const wrong = await x3({ password: 'wrong-password' })
      .details({ className: 'BPCUSTOMER' }, 'C00001')
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(X3ApiError);
    expect((wrong as X3ApiError).kind).toBe('permanent-config');
    expect((wrong as Error).message).not.toContain('wrong-password');

    const { faults } = await admin<{ faults: { id: string }[] }>('POST', '/faults', {
      route: 'GET /api1/*',
      status: 503,
    });
    const client = x3();
    const pending = client.details({ className: 'BPCUSTOMER' }, 'C00003');
    await waitFor(async () =>
      (await admin<{ requests: { status: number }[] }>('GET', '/requests')).requests.some(
        (r) => r.status === 503,
      ),
    );
    await admin('DELETE', `/faults/${faults.at(-1)!.id}`);
    await expect(pending).resolves.toMatchObject({ BPCNUM: 'C00003' });
  });

  describe('change notifications', () => {
    let server: Server;
    const received: { headers: Record<string, string | string[] | undefined>; body: Buffer }[] = [];

    beforeAll(async () => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({ headers: req.headers, body: Buffer.concat(chunks) });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(HOOK_PORT, '127.0.0.1', resolve));
      await admin('POST', '/x3/webhooks', { url: `http://127.0.0.1:${HOOK_PORT}/x3`, secret: HOOK_SECRET });
    });

    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
    });

    it('verifies the signature of a real notification, and refuses it when the body or the secret differ', async () => {
      await x3().update({ className: 'BPCUSTOMER' }, 'C00005', { TEL: '+33 1 00 00 00 05' });
      await waitFor(() => received.length > 0, { description: 'a notification from the X3 sandbox' });
      const [note] = received;
      const check = {
        signer: X3_WEBHOOK_SIGNER,
        secret: HOOK_SECRET,
        rawBody: note!.body,
        timestamp: note!.headers['x-x3-timestamp'] as string | undefined,
        signature: note!.headers['x-x3-signature'] as string | undefined,
      };
      expect(() => verifyWebhookSignature(check)).not.toThrow();
      expect(note!.body.toString()).toContain('C00005');
      expect(() =>
        verifyWebhookSignature({ ...check, rawBody: Buffer.concat([note!.body, Buffer.from(' ')]) }),
      ).toThrow(WebhookSignatureError);
      expect(() => verifyWebhookSignature({ ...check, secret: 'some-other-secret-value' })).toThrow(
        /does not match/,
      );
    });
  });
});
