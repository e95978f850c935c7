import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '@pardot-x3/observability';
import type { ReadinessCheck } from './readiness-check.types.js';
import { ReadinessRegistry } from './readiness-registry.service.js';

function registry(timeoutMs = 1_000): { registry: ReadinessRegistry; logs: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return {
    registry: new ReadinessRegistry(timeoutMs, createLogger({ service: 'test', destination: stream })),
    logs: () => chunks.join(''),
  };
}

const up = (name: string): ReadinessCheck => ({ name, check: async () => undefined });
const down = (name: string, reason: string): ReadinessCheck => ({
  name,
  check: async () => {
    throw new Error(reason);
  },
});

describe('ReadinessRegistry', () => {
  it('is ready, naming every check, when all pass', async () => {
    const { registry: r } = registry();
    r.register(up('kafka'));
    r.register(up('database'));
    await expect(r.evaluate()).resolves.toEqual({
      status: 'ready',
      checks: { kafka: { status: 'up' }, database: { status: 'up' } },
    });
  });

  it('is not ready when one check fails, and says which and why', async () => {
    const { registry: r, logs } = registry();
    r.register(up('kafka'));
    r.register(down('database', 'PostgreSQL at db:5432/app is not reachable: connect ECONNREFUSED'));
    const report = await r.evaluate();
    expect(report.status).toBe('not_ready');
    expect(report.checks['kafka']).toEqual({ status: 'up' });
    expect(report.checks['database']).toEqual({
      status: 'down',
      reason: 'PostgreSQL at db:5432/app is not reachable: connect ECONNREFUSED',
    });
    expect(logs()).toContain('"msg":"not ready"');
  });

  it('reports a check that never answers as down with the timeout as reason', async () => {
    const { registry: r } = registry(150);
    r.register({ name: 'kafka', check: () => new Promise<void>(() => undefined) });
    const report = await r.evaluate();
    expect(report.checks['kafka']).toEqual({ status: 'down', reason: 'no answer within 150 ms' });
  });

  it('counts a check that throws synchronously as down instead of failing the probe', async () => {
    const { registry: r } = registry();
    r.register({
      name: 'odd',
      check: () => {
        throw new Error('thrown before any promise');
      },
    });
    await expect(r.evaluate()).resolves.toMatchObject({
      status: 'not_ready',
      checks: { odd: { status: 'down', reason: 'thrown before any promise' } },
    });
  });

  it('never shows credentials that a failure reason carries', async () => {
    const { registry: r } = registry();
    r.register(down('database', 'cannot connect to postgres://app:hunter2@db:5432/app'));
    const report = await r.evaluate();
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });

  it('lets overlapping probes share one run of the checks', async () => {
    const { registry: r } = registry();
    let runs = 0;
    let release: () => void = () => undefined;
    r.register({
      name: 'slow',
      check: () => {
        runs += 1;
        return runs === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
      },
    });
    const first = r.evaluate();
    const second = r.evaluate();
    await vi.waitFor(() => expect(runs).toBe(1));
    release();
    await expect(Promise.all([first, second])).resolves.toEqual([
      { status: 'ready', checks: { slow: { status: 'up' } } },
      { status: 'ready', checks: { slow: { status: 'up' } } },
    ]);
    expect(runs).toBe(1);
    await r.evaluate();
    expect(runs).toBe(2);
  });

  it('reports draining without running checks once shutdown started', async () => {
    const { registry: r } = registry();
    let runs = 0;
    r.register({ name: 'kafka', check: async () => void (runs += 1) });
    r.startDraining();
    await expect(r.evaluate()).resolves.toEqual({ status: 'draining', checks: {} });
    expect(runs).toBe(0);
  });

  it('refuses two checks with the same name', () => {
    const { registry: r } = registry();
    r.register(up('kafka'));
    expect(() => r.register(up('kafka'))).toThrow(/"kafka" is already registered/);
  });

  it('closes every check at shutdown, even when one close fails', async () => {
    const { registry: r, logs } = registry();
    const closed: string[] = [];
    r.register({ name: 'a', check: async () => undefined, close: async () => void closed.push('a') });
    r.register({
      name: 'b',
      check: async () => undefined,
      close: async () => {
        throw new Error('already closed');
      },
    });
    r.register({ name: 'c', check: async () => undefined, close: async () => void closed.push('c') });
    await r.onApplicationShutdown();
    expect(closed.sort()).toEqual(['a', 'c']);
    expect(logs()).toContain('closing a readiness check failed');
  });
});
