import { PassThrough } from 'node:stream';
import { createLogger } from '@pardot-x3/observability';
import { createTestDatabase, waitFor } from '@pardot-x3/testing';
import { Registry } from 'prom-client';
import { createDataSource, runMigrations, type DataSource } from '@pardot-x3/persistence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PARDOT_CONNECTOR_MIGRATIONS,
  PardotRateLimiter,
  type PardotRateLimiterOptions,
} from '../src/index.js';

/**
 * The Pardot limits live in PostgreSQL so that every process shares them. Each test uses its own
 * business unit id, and each "process" its own DataSource (its own connection pool).
 */
describe('PardotRateLimiter (real PostgreSQL, several independent clients)', () => {
  let database: { url: string; drop: () => Promise<void> };
  const sources: DataSource[] = [];

  async function dataSource(): Promise<DataSource> {
    const source = createDataSource({
      url: database.url,
      poolSize: 4,
      migrations: PARDOT_CONNECTOR_MIGRATIONS,
    });
    await source.initialize();
    sources.push(source);
    return source;
  }

  function limiter(
    source: DataSource,
    overrides: Partial<PardotRateLimiterOptions> & { businessUnitId: string },
  ): PardotRateLimiter {
    return new PardotRateLimiter({
      dataSource: source,
      dailyBudget: 1_000,
      maxConcurrency: 5,
      timeZone: 'UTC',
      leaseTtlMs: 60_000,
      limitProbeIntervalMs: 60_000,
      budgetPollMs: 100,
      registry: new Registry(),
      ...overrides,
    });
  }

  /** A call that runs until the test lets it finish. */
  function gatedCalls() {
    const gates: (() => void)[] = [];
    const state = { running: 0, maxRunning: 0, started: 0 };
    const call = () =>
      new Promise<string>((resolve) => {
        state.running++;
        state.started++;
        state.maxRunning = Math.max(state.maxRunning, state.running);
        gates.push(() => {
          state.running--;
          resolve('done');
        });
      });
    const releaseOne = () => gates.shift()?.();
    return { call, state, releaseOne, releaseAll: () => gates.splice(0).forEach((g) => g()) };
  }

  beforeAll(async () => {
    database = await createTestDatabase('pardot_limits');
    await runMigrations(await dataSource());
  });

  afterAll(async () => {
    await Promise.all(sources.filter((s) => s.isInitialized).map((s) => s.destroy()));
    await database?.drop();
  });

  it('lets at most 5 calls run at once across two clients; the 6th waits instead of failing', async () => {
    const bu = '0Uv000000000C01AAA';
    const a = limiter(await dataSource(), { businessUnitId: bu });
    const b = limiter(await dataSource(), { businessUnitId: bu });
    const gated = gatedCalls();
    const results = [a, a, a, b, b, b].map((l) => l.run(gated.call));
    await waitFor(() => gated.state.running === 5, { description: '5 calls running' });
    const [held] = await sources[0]!.query(
      'SELECT count(*)::int AS n FROM pardot_api_lease WHERE business_unit_id = $1 AND holder IS NOT NULL',
      [bu],
    );
    expect(held.n).toBe(5);
    gated.releaseOne();
    await waitFor(() => gated.state.started === 6, {
      description: 'the 6th call to start after a slot was freed',
    });
    gated.releaseAll();
    await waitFor(() => gated.state.running === 0 && gated.state.started === 6);
    gated.releaseAll();
    expect(await Promise.all(results)).toEqual(Array(6).fill('done'));
    expect(gated.state.maxRunning).toBe(5);
  });

  it('frees the slots of a crashed process when their leases expire', async () => {
    const bu = '0Uv000000000C02AAA';
    const crashedSource = await dataSource();
    const crashed = limiter(crashedSource, { businessUnitId: bu, leaseTtlMs: 1_500 });
    const never = gatedCalls();
    for (let i = 0; i < 5; i++) void crashed.run(never.call).catch(() => undefined);
    await waitFor(() => never.state.running === 5);
    // The process dies holding every slot: no release ever comes.
    await crashedSource.destroy();
    const survivor = limiter(await dataSource(), { businessUnitId: bu });
    await expect(survivor.run(async () => 'went through')).resolves.toBe('went through');
  });

  it('counts every call of every client against one daily budget, and makes the next call wait for the reset', async () => {
    const bu = '0Uv000000000C03AAA';
    const out = new PassThrough();
    const lines: string[] = [];
    out.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)));
    const logger = createLogger({ service: 'test', destination: out });
    const source = await dataSource();
    const a = limiter(source, { businessUnitId: bu, dailyBudget: 3, logger });
    const b = limiter(await dataSource(), { businessUnitId: bu, dailyBudget: 3, logger });
    await a.run(async () => 1);
    await b.run(async () => 2);
    await a.run(async () => 3);
    let fourthRan = false;
    const fourth = b.run(async () => {
      fourthRan = true;
      return 4;
    });
    await waitFor(() => lines.some((l) => l.includes('Pardot daily API budget exhausted')), {
      description: 'the exhaustion log line',
    });
    expect(fourthRan).toBe(false);
    expect((await a.status()).remaining).toBe(0);
    // Midnight in the account's time zone: the new day's budget starts empty.
    await source.query('DELETE FROM pardot_api_budget WHERE business_unit_id = $1', [bu]);
    await expect(fourth).resolves.toBe(4);
    expect(lines.some((l) => l.includes('resuming'))).toBe(true);
  });

  it('after Pardot reports error 122, lets one probe through per interval and resumes everyone when it succeeds', async () => {
    const bu = '0Uv000000000C04AAA';
    const a = limiter(await dataSource(), { businessUnitId: bu, limitProbeIntervalMs: 300 });
    const b = limiter(await dataSource(), { businessUnitId: bu, limitProbeIntervalMs: 300 });
    await a.run(async () => 'before');
    await a.reportDailyLimitMet();
    expect((await b.status()).limitReported).toBe(true);
    const waiting = [a.run(async () => 'a'), b.run(async () => 'b'), b.run(async () => 'c')];
    await expect(Promise.all(waiting)).resolves.toEqual(['a', 'b', 'c']);
    expect((await a.status()).limitReported).toBe(false);
  });
});
