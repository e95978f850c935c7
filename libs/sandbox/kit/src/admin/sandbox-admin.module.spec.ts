import 'reflect-metadata';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Module,
  NotFoundException,
  Param,
  Patch,
  Post,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger } from '@pardot-x3/observability';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedWorldCounts } from '../generator/world.types.js';
import type { SandboxAdmission, SandboxRequestInfo } from '../http/sandbox-http.types.js';
import { SandboxAdminModule } from './sandbox-admin.module.js';

const PORT = 15400;
const BASE = `http://127.0.0.1:${PORT}`;
const TOKEN = 'admin-token-for-tests';
const admin = { 'x-admin-token': TOKEN, 'content-type': 'application/json' };

const things = new Map<string, Record<string, unknown>>();
const seeded: { seed: number; counts: ResolvedWorldCounts }[] = [];
let resets = 0;
let admission: SandboxAdmission | undefined;

@Controller('things')
class ThingsController {
  @Post()
  @HttpCode(201)
  create(@Body() body: Record<string, unknown>): Record<string, unknown> {
    const id = String(things.size + 1);
    things.set(id, { id, ...body });
    return { id };
  }

  @Get(':id')
  read(@Param('id') id: string): Record<string, unknown> {
    const thing = things.get(id);
    if (!thing) throw new NotFoundException();
    return thing;
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: Record<string, unknown>): Record<string, unknown> {
    const thing = { ...things.get(id), ...body };
    things.set(id, thing);
    return thing;
  }
}

@Module({
  imports: [
    SandboxAdminModule.forRoot({
      system: 'pardot',
      token: TOKEN,
      seed: (seed, counts) => void seeded.push({ seed, counts }),
      reset: () => {
        resets += 1;
        things.clear();
      },
      state: () => ({ things: things.size }),
      dialect: {
        renderError: (status) => ({ status, body: { code: 999, message: `dialect error ${status}` } }),
        renderLimit: (limit) => ({
          status: 429,
          headers: { 'x-limit': limit },
          body: { code: limit === 'daily' ? 122 : 66, message: 'limit' },
        }),
      },
      identifyClient: (req: SandboxRequestInfo) =>
        typeof req.headers['x-client'] === 'string' ? req.headers['x-client'] : undefined,
      admit: () => admission ?? { admitted: true },
      logger: createLogger({ service: 'sandbox-test', level: 'silent' }),
    }),
  ],
  controllers: [ThingsController],
})
class TestSandboxModule {}

let app: INestApplication;

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
}

interface LedgerBody {
  entries: {
    seq: number;
    method: string;
    path: string;
    route: string;
    status: number;
    requestBody: unknown;
    responseSummary?: string;
    clientId?: string;
    fault?: Record<string, unknown>;
  }[];
  lastSeq: number;
}

const ledger = async (query = ''): Promise<LedgerBody> =>
  (await call('GET', `/__admin/ledger${query}`, undefined, admin)).body as LedgerBody;

beforeAll(async () => {
  app = await NestFactory.create(TestSandboxModule, { logger: false });
  await app.listen(PORT, '127.0.0.1');
});

afterAll(async () => {
  await app?.close();
});

beforeEach(async () => {
  admission = undefined;
  await call('POST', '/__admin/reset', undefined, admin);
});

describe('admin API', () => {
  it('answers 401 without the admin token or with a wrong one', async () => {
    expect((await call('GET', '/__admin/state')).status).toBe(401);
    const wrong = await call('GET', '/__admin/state', undefined, { 'x-admin-token': 'nope' });
    expect(wrong).toMatchObject({
      status: 401,
      body: { statusCode: 401, error: expect.stringMatching(/X-Admin-Token/) },
    });
    expect((await call('GET', '/__admin/state', undefined, admin)).status).toBe(200);
  });

  it('seeds the system with the counts resolved, and explains a bad seed request', async () => {
    const res = await call('POST', '/__admin/seed', { seed: 42, counts: { companies: 3 } }, admin);
    expect(res).toMatchObject({
      status: 200,
      body: { seeded: true, seed: 42, counts: { companies: 3, products: 30 } },
    });
    expect(seeded.at(-1)).toMatchObject({ seed: 42, counts: { companies: 3, contacts: 40 } });
    expect(await call('POST', '/__admin/seed', { seed: 'x' }, admin)).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/seed must be a whole number/) },
    });
    expect(await call('POST', '/__admin/seed', { seed: 1, counts: { companies: -2 } }, admin)).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/counts\.companies/) },
    });
  });

  it('reset calls the system and forgets the ledger and the faults', async () => {
    await call('POST', '/things', { name: 'a' });
    await call('POST', '/__admin/faults', { route: '/nothing', status: 500 }, admin);
    const before = resets;
    const res = await call('POST', '/__admin/reset', undefined, admin);
    expect(res).toMatchObject({ status: 200, body: { reset: true, state: { things: 0 } } });
    expect(resets).toBe(before + 1);
    expect((await ledger()).entries).toEqual([]);
    expect((await call('GET', '/__admin/faults', undefined, admin)).body).toEqual({ faults: [] });
  });
});

describe('write ledger', () => {
  it('records every write with its route, status, body (secrets redacted), response and client, and no reads', async () => {
    const created = await call(
      'POST',
      '/things',
      { name: 'bike', password: 'hunter2', nested: { client_secret: 's3' } },
      { 'x-client': 'connector-1' },
    );
    expect(created.status).toBe(201);
    await call('GET', '/things/1');
    await call('PATCH', '/things/1', { name: 'e-bike' });
    const { entries } = await ledger();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      method: 'POST',
      path: '/things',
      route: 'POST /things',
      status: 201,
      requestBody: { name: 'bike', password: '[redacted]', nested: { client_secret: '[redacted]' } },
      responseSummary: '{"id":"1"}',
      clientId: 'connector-1',
    });
    expect(entries[1]).toMatchObject({
      method: 'PATCH',
      path: '/things/1',
      route: 'PATCH /things/:id',
      status: 200,
    });
    expect(JSON.stringify(entries)).not.toContain('hunter2');
  });

  it('records writes that never reach a route: unknown path, malformed JSON', async () => {
    expect((await call('POST', '/nowhere', { a: 1 })).status).toBe(404);
    const res = await fetch(`${BASE}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": bro',
    });
    expect(res.status).toBe(400);
    const { entries } = await ledger();
    expect(entries.map((e) => [e.method, e.path, e.status])).toEqual([
      ['POST', '/nowhere', 404],
      ['POST', '/things', 400],
    ]);
  });

  it('lists entries after a seq and by route glob, and can be cleared', async () => {
    await call('POST', '/things', { n: 1 });
    await call('PATCH', '/things/1', { n: 2 });
    const all = await ledger();
    const first = all.entries[0]?.seq ?? 0;
    expect((await ledger(`?since=${first}`)).entries.map((e) => e.method)).toEqual(['PATCH']);
    expect((await ledger(`?route=${encodeURIComponent('PATCH /things/*')}`)).entries).toHaveLength(1);
    expect((await call('DELETE', '/__admin/ledger', undefined, admin)).status).toBe(204);
    expect((await ledger()).entries).toEqual([]);
  });
});

describe('fault injection', () => {
  it('switches an error on and off at run time; both show in the ledger', async () => {
    const added = await call(
      'POST',
      '/__admin/faults',
      { id: 'boom', route: 'POST /things', status: 503 },
      admin,
    );
    expect(added).toMatchObject({
      status: 201,
      body: { faults: [{ id: 'boom', route: 'POST /things', status: 503 }] },
    });
    const failed = await call('POST', '/things', { name: 'x' });
    expect(failed).toMatchObject({ status: 503, body: { code: 999, message: 'dialect error 503' } });
    expect(things.size).toBe(0);

    expect((await call('DELETE', '/__admin/faults/boom', undefined, admin)).status).toBe(204);
    expect((await call('POST', '/things', { name: 'x' })).status).toBe(201);

    const { entries } = await ledger();
    expect(entries.map((e) => [e.status, e.fault?.['ruleId']])).toEqual([
      [503, 'boom'],
      [201, undefined],
    ]);
    expect(entries[0]?.fault).toMatchObject({ outcome: 'error', status: 503 });
    expect((await call('DELETE', '/__admin/faults/boom', undefined, admin)).status).toBe(404);
  });

  it('answers with the exact body a rule gives', async () => {
    await call(
      'POST',
      '/__admin/faults',
      { route: '/things/*', status: 400, body: [{ errorCode: 'X' }] },
      admin,
    );
    expect(await call('GET', '/things/1')).toMatchObject({ status: 400, body: [{ errorCode: 'X' }] });
  });

  it('renders an exhausted limit in the system dialect and records reads a fault touched', async () => {
    await call('POST', '/__admin/faults', { id: 'daily', route: 'GET /things/*', limit: 'daily' }, admin);
    const res = await call('GET', '/things/1');
    expect(res).toMatchObject({ status: 429, body: { code: 122 } });
    expect(res.headers.get('x-limit')).toBe('daily');
    expect((await ledger()).entries[0]).toMatchObject({
      method: 'GET',
      status: 429,
      fault: { ruleId: 'daily', outcome: 'limit', limit: 'daily' },
    });
  });

  it('adds latency and still serves the route', async () => {
    await call('POST', '/__admin/faults', { id: 'slow', route: 'POST /things', latencyMs: 50 }, admin);
    expect((await call('POST', '/things', { a: 1 })).status).toBe(201);
    expect((await ledger()).entries[0]).toMatchObject({
      status: 201,
      fault: { ruleId: 'slow', latencyMs: 50 },
    });
  });

  it('drops the connection without an answer', async () => {
    await call(
      'POST',
      '/__admin/faults',
      { id: 'cut', route: 'PATCH /things/*', dropConnection: true },
      admin,
    );
    await expect(call('PATCH', '/things/1', { a: 1 })).rejects.toThrow();
    const { entries } = await ledger();
    expect(entries.at(-1)).toMatchObject({
      method: 'PATCH',
      status: 0,
      fault: { ruleId: 'cut', outcome: 'drop' },
    });
  });

  it('serves the request, then cuts the connection instead of answering (dropResponse)', async () => {
    await call(
      'POST',
      '/__admin/faults',
      { id: 'lost-answer', route: 'POST /things', dropResponse: true },
      admin,
    );
    const before = things.size;
    await expect(call('POST', '/things', { name: 'applied' })).rejects.toThrow();
    // The effect happened although the client saw only a reset.
    expect(things.size).toBe(before + 1);
    const { entries } = await ledger();
    expect(entries.at(-1)).toMatchObject({
      method: 'POST',
      route: 'POST /things',
      status: 0,
      fault: { ruleId: 'lost-answer', outcome: 'drop-response' },
    });
  });

  it('does not record a request a rule matched but did not hit as faulted', async () => {
    await call(
      'POST',
      '/__admin/faults',
      { id: 'never', route: 'POST /things', errorRate: 0, status: 500 },
      admin,
    );
    expect((await call('POST', '/things', { name: 'y' })).status).toBe(201);
    expect((await ledger()).entries.at(-1)?.fault).toBeUndefined();
  });

  it('accepts several rules at once, all or none, and clears them', async () => {
    const bad = await call(
      'POST',
      '/__admin/faults',
      [
        { route: '/a', status: 500 },
        { route: '/b', errorRate: 5 },
      ],
      admin,
    );
    expect(bad).toMatchObject({ status: 400, body: { error: expect.stringMatching(/errorRate/) } });
    expect((await call('GET', '/__admin/faults', undefined, admin)).body).toEqual({ faults: [] });
    await call(
      'POST',
      '/__admin/faults',
      [
        { route: '/a', status: 500 },
        { route: '/b', latencyMs: 1 },
      ],
      admin,
    );
    expect(await call('DELETE', '/__admin/faults', undefined, admin)).toMatchObject({
      status: 200,
      body: { removed: 2 },
    });
  });
});

describe('admission and request log', () => {
  it('answers a request the system does not admit, before any fault', async () => {
    admission = { admitted: false, response: { status: 429, body: { code: 66 } } };
    expect(await call('GET', '/things/1')).toMatchObject({ status: 429, body: { code: 66 } });
  });

  it('keeps recent requests without their headers or bodies', async () => {
    await call(
      'POST',
      '/things',
      { password: 'pw-in-body' },
      { authorization: 'Bearer secret-token', 'x-client': 'c1' },
    );
    await call('GET', '/things/1?api_key=k');
    const res = await call('GET', '/__admin/requests', undefined, admin);
    const requests = (res.body as { requests: Record<string, unknown>[] }).requests;
    expect(requests.map((r) => [r['method'], r['path'], r['status']])).toEqual([
      ['POST', '/things', 201],
      ['GET', '/things/1', 200],
    ]);
    expect(requests[0]).toMatchObject({ clientId: 'c1', ms: expect.any(Number) });
    expect(JSON.stringify(requests)).not.toMatch(/secret-token|pw-in-body|api_key/);
  });
});
