import { describe, expect, it } from 'vitest';
import { frameOrigin, summarizeCpuProfile, type CpuProfile } from './cpu-profile-summary.js';

describe('frameOrigin', () => {
  it('names the package, the project, the built-in or V8 a frame belongs to', () => {
    expect(frameOrigin('query', 'file:///w/node_modules/pg/lib/client.js')).toBe('pg');
    expect(frameOrigin('x', 'file:///w/node_modules/@nestjs/core/router/a.js')).toBe('@nestjs/core');
    expect(frameOrigin('x', 'file:///w/node_modules/a/node_modules/b/index.js')).toBe('b');
    expect(frameOrigin('decide', 'file:///w/libs/domain/customer-master/dist/decide.js')).toBe(
      'pardot-x3 libs/domain/customer-master',
    );
    expect(frameOrigin('main', 'file:///w/apps/mdm/dist/main.js')).toBe('pardot-x3 apps/mdm');
    expect(frameOrigin('write', 'node:net')).toBe('node:net');
    expect(frameOrigin('x', 'node:internal/streams/readable')).toBe('node:internal');
    expect(frameOrigin('(garbage collector)', '')).toBe('(garbage collector)');
    expect(frameOrigin('parse', '')).toBe('(native)');
  });
});

describe('summarizeCpuProfile', () => {
  const frame = (id: number, functionName: string, url: string) => ({
    id,
    callFrame: { functionName, url, lineNumber: id },
  });
  const profile: CpuProfile = {
    nodes: [
      frame(1, '(root)', ''),
      frame(2, '(idle)', ''),
      frame(3, 'query', 'file:///w/node_modules/pg/lib/client.js'),
      frame(4, '(garbage collector)', ''),
      frame(5, 'decide', 'file:///w/libs/domain/customer-master/dist/decide.js'),
    ],
    // sample i lasts until the next delta (µs): 3 → 6 ms, 2 → 100 ms, 5 → 2 ms, 3 → 1 ms, 4 → 1 ms, 3 → 0 (last)
    samples: [3, 2, 5, 3, 4, 3],
    timeDeltas: [0, 6_000, 100_000, 2_000, 1_000, 1_000],
    startTime: 0,
    endTime: 110_000,
  };

  it('sums self time per origin and function, leaving idle out of the busy time', () => {
    const summary = summarizeCpuProfile(profile);
    expect(summary.totalMs).toBe(110);
    expect(summary.busyMs).toBe(10);
    expect(summary.byOrigin.map((o) => [o.name, o.ms])).toEqual([
      ['pg', 7],
      ['pardot-x3 libs/domain/customer-master', 2],
      ['(garbage collector)', 1],
    ]);
    expect(summary.byOrigin[0]?.share).toBeCloseTo(0.7);
    expect(summary.topFunctions[0]?.name).toBe('query client.js:4 [pg]');
  });

  it('keeps only the top entries', () => {
    expect(summarizeCpuProfile(profile, 1).byOrigin).toHaveLength(1);
  });
});
