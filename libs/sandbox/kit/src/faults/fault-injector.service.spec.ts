import { describe, expect, it } from 'vitest';
import { FaultInjector } from './fault-injector.service.js';
import { compileRouteGlob } from './route-glob.util.js';

describe('compileRouteGlob', () => {
  it('matches the method and the path with * as any run of characters', () => {
    const glob = compileRouteGlob('PATCH /services/data/*/sobjects/*');
    expect(glob.matches('PATCH', '/services/data/v62.0/sobjects/Account/001000000000001')).toBe(true);
    expect(glob.matches('patch', '/services/data/v62.0/sobjects/Account')).toBe(true);
    expect(glob.matches('GET', '/services/data/v62.0/sobjects/Account')).toBe(false);
    expect(compileRouteGlob('/api1/*').matches('DELETE', '/api1/x3/erp/SEED/BPCUSTOMER')).toBe(true);
    expect(compileRouteGlob('* /a.b').matches('GET', '/aXb')).toBe(false);
    expect(() => compileRouteGlob('PATCH services')).toThrow(/must look like/);
  });
});

describe('FaultInjector', () => {
  it('adds, lists, replaces by id and removes rules at run time', () => {
    const faults = new FaultInjector();
    const rule = faults.add({ route: 'POST /x', status: 503 });
    expect(rule.id).toBe('fault-1');
    faults.add({ id: 'slow', route: '/x', latencyMs: 10 });
    faults.add({ id: 'slow', route: '/y', latencyMs: 20 });
    expect(faults.list().map((r) => [r.id, r.route])).toEqual([
      ['fault-1', 'POST /x'],
      ['slow', '/y'],
    ]);
    expect(faults.remove('fault-1')).toBe(true);
    expect(faults.remove('fault-1')).toBe(false);
    expect(faults.decide('POST', '/x')).toBeUndefined();
    expect(faults.clear()).toBe(1);
  });

  it('adds up latencies and lets the first rule with an outcome answer', () => {
    const faults = new FaultInjector();
    faults.add({ id: 'a', route: '/x*', latencyMs: 10 });
    faults.add({ id: 'b', route: 'GET /x', latencyMs: 5, limit: 'daily' });
    faults.add({ id: 'c', route: '/x', status: 500 });
    expect(faults.decide('GET', '/x')).toEqual({
      latencyMs: 15,
      latencyRuleIds: ['a', 'b'],
      outcome: { kind: 'limit', ruleId: 'b', limit: 'daily' },
    });
    expect(faults.decide('POST', '/x')).toEqual({
      latencyMs: 10,
      latencyRuleIds: ['a'],
      outcome: { kind: 'error', ruleId: 'c', status: 500 },
    });
  });

  it('is deterministic at error rates 0 and 1 and near the rate in between', () => {
    const faults = new FaultInjector(3);
    faults.add({ id: 'never', route: '/n', errorRate: 0, status: 500 });
    faults.add({ id: 'always', route: '/a', errorRate: 1, dropConnection: true });
    faults.add({ id: 'half', route: '/h', errorRate: 0.5 });
    for (let i = 0; i < 20; i++) {
      expect(faults.decide('GET', '/n')?.outcome).toBeUndefined();
      expect(faults.decide('GET', '/a')?.outcome).toEqual({ kind: 'drop', ruleId: 'always' });
    }
    const hits = Array.from({ length: 1000 }, () => faults.decide('GET', '/h')?.outcome).filter(
      Boolean,
    ).length;
    expect(hits).toBeGreaterThan(400);
    expect(hits).toBeLessThan(600);
  });

  it('rejects rules it cannot apply, naming the field', () => {
    const faults = new FaultInjector();
    expect(() => faults.add({ route: '' })).toThrow(/route is required/);
    expect(() => faults.add({ route: '/x' })).toThrow(/needs an effect/);
    expect(() => faults.add({ route: '/x', errorRate: 2 })).toThrow(/errorRate must be a number from 0 to 1/);
    expect(() => faults.add({ route: '/x', status: 200 })).toThrow(/status must be an HTTP error status/);
    expect(() => faults.add({ route: '/x', limit: 'hourly' as never })).toThrow(
      /limit must be "daily" or "concurrency"/,
    );
    expect(() => faults.add({ route: '/x', status: 500, dropConnection: true })).toThrow(
      /one outcome per rule/,
    );
    expect(() => faults.add({ route: '/x', latencyMs: 10, colour: 'red' } as never)).toThrow(
      /unknown field "colour"/,
    );
    expect(faults.list()).toEqual([]);
  });
});
