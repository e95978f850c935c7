import { PassThrough } from 'node:stream';
import { createLogger } from '@pardot-x3/observability';
import { SalesforceAuth } from '@pardot-x3/salesforce-connector';
import { ServiceProcess, createTestDatabase, waitFor } from '@pardot-x3/testing';
import { Registry } from 'prom-client';
import { createDataSource, runMigrations, type DataSource } from '@pardot-x3/persistence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PardotApiError,
  PARDOT_CONNECTOR_MIGRATIONS,
  PardotClient,
  PardotRateLimiter,
} from '../src/index.js';

const TOKEN_SECRET = 'connector-tests-token-secret';
const ADMIN_TOKEN = 'connector-tests-admin-token';
const SF_URL = 'http://127.0.0.1:19100';
const PARDOT_URL = 'http://127.0.0.1:19200';
const BU = '0Uv5g000000PX3AAAA';
const CONSUMER = { clientId: 'PX3ConnectorTestsKey', clientSecret: 'connector-tests-consumer-secret' };

async function admin<T = unknown>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}/__admin${path}`, {
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

async function metric(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const found = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (
    found?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value ?? 0
  );
}

describe('PardotClient against the Pardot sandbox (token from the Salesforce sandbox, limits in PostgreSQL)', () => {
  const processes: ServiceProcess[] = [];
  const sources: DataSource[] = [];
  let database: { url: string; drop: () => Promise<void> };
  let auth: SalesforceAuth;

  async function pardot(
    options: { probeMs?: number; registry?: Registry; logger?: ReturnType<typeof createLogger> } = {},
  ): Promise<{ client: PardotClient; registry: Registry }> {
    const source = createDataSource({
      url: database.url,
      poolSize: 4,
      migrations: PARDOT_CONNECTOR_MIGRATIONS,
    });
    await source.initialize();
    sources.push(source);
    const registry = options.registry ?? new Registry();
    const limiter = new PardotRateLimiter({
      dataSource: source,
      businessUnitId: BU,
      dailyBudget: 25_000,
      maxConcurrency: 5,
      timeZone: 'UTC',
      leaseTtlMs: 45_000,
      limitProbeIntervalMs: options.probeMs ?? 60_000,
      budgetPollMs: 100,
      registry,
      logger: options.logger,
    });
    const client = new PardotClient({
      baseUrl: PARDOT_URL,
      businessUnitId: BU,
      auth,
      limiter,
      externalActivityExtension: 'PardotX3',
      retry: { maxAttempts: 6, baseDelayMs: 50, maxDelayMs: 400 },
      registry,
      logger: options.logger,
    });
    return { client, registry };
  }

  beforeAll(async () => {
    const common = {
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN,
      SANDBOX_TOKEN_SECRET: TOKEN_SECRET,
    };
    processes.push(
      await new ServiceProcess({
        app: 'sandbox-salesforce',
        env: {
          ...common,
          PORT: '19100',
          SF_CONSUMER_KEY: CONSUMER.clientId,
          SF_CONSUMER_SECRET: CONSUMER.clientSecret,
        },
        readyUrl: `${SF_URL}/health/ready`,
        logName: 'connectors-pardot-sandbox-salesforce.log',
      }).start(),
      await new ServiceProcess({
        app: 'sandbox-pardot',
        env: { ...common, PORT: '19200', PARDOT_BUSINESS_UNIT_ID: BU },
        readyUrl: `${PARDOT_URL}/health/ready`,
        logName: 'connectors-sandbox-pardot.log',
      }).start(),
    );
    auth = new SalesforceAuth({
      loginUrl: SF_URL,
      credentials: { flow: 'client-credentials', ...CONSUMER },
      registry: new Registry(),
    });
    database = await createTestDatabase('pardot_client');
    const setup = createDataSource({ url: database.url, migrations: PARDOT_CONNECTOR_MIGRATIONS });
    sources.push(setup);
    await runMigrations(setup);
  });

  afterAll(async () => {
    await Promise.all(sources.filter((s) => s.isInitialized).map((s) => s.destroy()));
    await database?.drop();
    for (const p of processes.reverse()) await p.stop();
  });

  it('upserts a prospect by email with a custom field: creates it once, then updates the same prospect', async () => {
    const { client } = await pardot();
    const email = `upsert-${Date.now()}@example.com`;
    const first = await client.upsertProspectByEmail(
      email,
      { firstName: 'Jane', ERP_Customer_Code__c: 'C0001' },
      { fields: ['id', 'email', 'ERP_Customer_Code__c'] },
    );
    expect(first).toMatchObject({ email, ERP_Customer_Code__c: 'C0001' });
    const second = await client.upsertProspectByEmail(
      email,
      { ERP_Customer_Code__c: 'C0002' },
      { fields: ['id', 'email', 'ERP_Customer_Code__c'] },
    );
    expect(second.id).toBe(first.id);
    expect(await client.readProspect(first.id, ['id', 'firstName', 'ERP_Customer_Code__c'])).toMatchObject({
      id: first.id,
      firstName: 'Jane',
      ERP_Customer_Code__c: 'C0002',
    });
  });

  it('says in user terms which prospect Pardot rejected and why, and does not retry it', async () => {
    const { client, registry } = await pardot();
    const error = await client
      .upsertProspectByEmail('jane@@not-valid', { firstName: 'Jane' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PardotApiError);
    expect((error as PardotApiError).pardotCode).toBe(4);
    expect((error as PardotApiError).kind).toBe('permanent-data');
    expect((error as Error).message).toMatch(/^Pardot rejected prospect jane@…: error 4 /);
    expect(await metric(registry, 'px3_external_api_requests_total', { operation: 'upsertProspect' })).toBe(
      1,
    );
  });

  it('creates, patches and reads prospects, lists custom fields, and pages through queries with nextPageToken', async () => {
    const { client } = await pardot();
    const since = new Date(Date.now() - 1_000);
    const created = await client.createProspect(
      { email: `create-${Date.now()}@example.com`, lastName: 'Created' },
      ['id', 'email', 'lastName'],
    );
    const patched = await client.updateProspect(created.id, { lastName: 'Patched' }, ['id', 'lastName']);
    expect(patched).toMatchObject({ id: created.id, lastName: 'Patched' });
    const fields = await client.listCustomFields();
    expect(fields.map((f) => f['fieldId'] ?? f['name'])).toContain('ERP_Customer_Code__c');
    const recent = [];
    for await (const p of client.queryProspects({
      fields: ['id', 'email', 'updatedAt'],
      updatedSince: since,
    }))
      recent.push(p.id);
    expect(recent).toContain(created.id);
    const all: number[] = [];
    for await (const p of client.queryProspects({ fields: ['id'], pageSize: 7 })) all.push(p.id);
    expect(all.length).toBeGreaterThan(7);
    expect(new Set(all).size).toBe(all.length);
    const activities = [];
    for await (const a of client.queryVisitorActivities({
      fields: ['id', 'prospectId', 'type', 'createdAt'],
      pageSize: 50,
    }))
      activities.push(a.id);
    expect(activities.length).toBeGreaterThan(50);
    expect(new Set(activities).size).toBe(activities.length);
  });

  it('reads and updates a prospect through the v4 legacy routes', async () => {
    const { client } = await pardot();
    const created = await client.createProspect({ email: `v4-${Date.now()}@example.com`, firstName: 'Old' });
    expect(await client.readProspectV4(created.id)).toMatchObject({ first_name: 'Old' });
    expect(await client.updateProspectV4(created.id, { first_name: 'New', company: 'Acme' })).toMatchObject({
      first_name: 'New',
      company: 'Acme',
    });
    const missing = await client.readProspectV4(999_999_999).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PardotApiError);
    expect((missing as PardotApiError).kind).toBe('permanent-data');
  });

  it('sends external activities of registered types; an unknown type is a setup problem', async () => {
    const { client } = await pardot();
    await admin(PARDOT_URL, 'POST', '/pardot/external-activity-types', {
      extension: 'PardotX3',
      type: 'X3_Order_Shipped',
    });
    const email = `activity-${Date.now()}@example.com`;
    await client.upsertProspectByEmail(email, { lastName: 'Buyer' });
    await client.createExternalActivity({
      type: 'X3_Order_Shipped',
      email,
      value: 'SO-000042',
      activityDate: new Date(),
    });
    const unknown = await client
      .createExternalActivity({ type: 'Not_Registered', email, value: 'x' })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(PardotApiError);
    // An activity type the business unit does not know is a setup problem (register it), not bad data.
    expect((unknown as PardotApiError).kind).toBe('permanent-config');
  });

  it('keeps every client under the 5-request concurrency limit, and retries error 66 when another tool takes slots', async () => {
    const registry = new Registry();
    const a = await pardot({ registry });
    const b = await pardot({ registry });
    const { faults } = await admin<{ faults: { id: string }[] }>(PARDOT_URL, 'POST', '/faults', {
      route: 'GET /api/v5/objects/prospects/*',
      latencyMs: 300,
    });
    try {
      const [someone] = await (async () => {
        const out = [];
        for await (const p of a.client.queryProspects({ fields: ['id'], pageSize: 1 })) {
          out.push(p);
          break;
        }
        return out;
      })();
      const reads = Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? a : b).client.readProspect(someone!.id, ['id']),
      );
      await expect(Promise.all(reads)).resolves.toHaveLength(12);
      expect(
        await metric(registry, 'px3_external_api_requests_total', {
          operation: 'readProspect',
          status: '200',
        }),
      ).toBe(12);
      expect(
        await metric(registry, 'px3_external_api_limit_hits_total', {
          system: 'pardot',
          kind: 'concurrency',
        }),
      ).toBe(0);

      // Another tool (not ours, not rate-limited) holds three of the business unit's five slots.
      const token = (await auth.session()).accessToken;
      const foreign = Array.from({ length: 3 }, () =>
        fetch(`${PARDOT_URL}/api/v5/objects/prospects/${someone!.id}?fields=id`, {
          headers: { authorization: `Bearer ${token}`, 'pardot-business-unit-id': BU },
        }),
      );
      await waitFor(async () =>
        Object.values(
          (await admin<{ inFlight: Record<string, number> }>(PARDOT_URL, 'GET', '/pardot/limits')).inFlight,
        ).some((n) => n >= 3),
      );
      const contended = Array.from({ length: 5 }, () => a.client.readProspect(someone!.id, ['id']));
      await expect(Promise.all(contended)).resolves.toHaveLength(5);
      await Promise.all(foreign);
      expect(
        await metric(registry, 'px3_external_api_limit_hits_total', {
          system: 'pardot',
          kind: 'concurrency',
        }),
      ).toBeGreaterThan(0);
    } finally {
      await admin(PARDOT_URL, 'DELETE', `/faults/${faults.at(-1)!.id}`);
    }
  });

  it('when Pardot reports its daily limit met (error 122), waits and resumes once the budget is reset', async () => {
    const out = new PassThrough();
    const lines: string[] = [];
    out.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)));
    const logger = createLogger({ service: 'pardot-writer-test', destination: out });
    const { client, registry } = await pardot({ probeMs: 200, logger });
    const limits = await admin<{ dailyLimit: number }>(PARDOT_URL, 'GET', '/pardot/limits');
    await admin(PARDOT_URL, 'POST', '/pardot/limits', { used: limits.dailyLimit });
    let done = false;
    const email = `budget-${Date.now()}@example.com`;
    const pending = client.upsertProspectByEmail(email, { lastName: 'Patient' }).then((p) => {
      done = true;
      return p;
    });
    try {
      await waitFor(() => lines.some((l) => l.includes('Pardot daily API budget exhausted')), {
        description: 'the exhaustion log line',
      });
      expect(done).toBe(false);
      expect(
        await metric(registry, 'px3_external_api_budget_remaining', { system: 'pardot', scope: BU }),
      ).toBe(0);
      expect(
        await metric(registry, 'px3_external_api_limit_hits_total', { system: 'pardot', kind: 'daily' }),
      ).toBeGreaterThan(0);
    } finally {
      await admin(PARDOT_URL, 'POST', '/pardot/limits', { used: 0 });
    }
    await expect(pending).resolves.toMatchObject({ email });
    expect(lines.some((l) => l.includes('resuming'))).toBe(true);
    expect((await client.limiter.status()).limitReported).toBe(false);
  });
});
