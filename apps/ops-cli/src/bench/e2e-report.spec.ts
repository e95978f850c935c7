import { describe, expect, it } from 'vitest';
import {
  e2eChecks,
  e2eTable,
  formatTable,
  latencySummary,
  maxConcurrency,
  percentile,
  renderE2eChartSvg,
  writesPerUpdate,
  type E2eMeasurements,
} from './e2e-report.js';

const run = (over: Partial<E2eMeasurements> = {}): E2eMeasurements => ({
  baseline: { items: 10_000, seconds: 0.5, complete: true, messageBytes: 600 },
  burst: {
    changes: 1_000,
    mastered: { items: 1_000, seconds: 0.2, complete: true },
    masteredEvents: 1_000,
    latencyMs: latencySummary([10, 20, 30]),
    pardotWrites: { items: 1_000, seconds: 4, complete: true },
    salesforceCalls: 5,
    pardotBudget: {
      calls: 2_000,
      maxConcurrency: 5,
      concurrencyLimit: 5,
      dailyBudget: 25_000,
      observedShare: 1,
    },
  },
  steady: {
    offeredPerSecond: 200,
    seconds: 10,
    sent: 2_000,
    mastered: 2_000,
    latencyMs: latencySummary([5, 50, 90]),
  },
  updateBursts: {
    quietBefore: true,
    entities: 100,
    updatesPerEntity: 5,
    pardotWrites: 100,
    masteredEvents: 500,
    settled: 100,
    coalescingWindowMs: 5_000,
  },
  spreadOut: {
    quietBefore: true,
    entities: 10,
    updatesPerEntity: 3,
    pardotWrites: 30,
    masteredEvents: 30,
    settled: 10,
    coalescingWindowMs: 5_000,
    spacingMs: 7_000,
  },
  webhook: { sent: 2_000, accepted: 2_000, seconds: 1, concurrency: 16, latencyMs: latencySummary([1, 2]) },
  processes: [
    { name: 'mdm', idleRssMb: 120, loadRssMb: 140, burstCpuPercent: 40 },
    { name: 'transformer', idleRssMb: 100, loadRssMb: 110, burstCpuPercent: 20 },
  ],
  ...over,
});

const check = (m: E2eMeasurements, prefix: string) => {
  const found = e2eChecks(m).find((c) => c.name.startsWith(prefix));
  if (!found) throw new Error(`no check ${prefix}`);
  return found;
};

describe('percentile (nearest rank)', () => {
  it('picks the value at the rank, not an interpolation', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it('summarises unsorted latencies', () => {
    expect(latencySummary([30, 10, 20, 40])).toEqual({ count: 4, p50: 20, p95: 40, p99: 40, max: 40 });
    expect(latencySummary([])).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null });
  });
});

describe('maxConcurrency', () => {
  it('counts the requests in flight at once; back-to-back requests do not overlap', () => {
    expect(
      maxConcurrency([
        { startMs: 0, durationMs: 10 },
        { startMs: 5, durationMs: 10 },
        { startMs: 6, durationMs: 1 },
        { startMs: 10, durationMs: 5 },
        { startMs: 20, durationMs: 1 },
      ]),
    ).toBe(3);
    expect(
      maxConcurrency([
        { startMs: 0, durationMs: 10 },
        { startMs: 10, durationMs: 10 },
      ]),
    ).toBe(1);
    expect(maxConcurrency([])).toBe(0);
  });
});

describe('e2eChecks', () => {
  it('passes a run that meets every target', () => {
    const checks = e2eChecks(run());
    expect(checks.filter((c) => c.pass !== true)).toEqual([]);
    expect(check(run(), 'burst to mastered').value).toBeCloseTo(5000 / 20000);
  });

  it('fails each target it misses', () => {
    const slow = run({
      burst: {
        ...run().burst,
        mastered: { items: 1_000, seconds: 23, complete: true },
        masteredEvents: 1_260,
        salesforceCalls: 160,
      },
      updateBursts: { ...run().updateBursts, pardotWrites: 340 },
      webhook: { ...run().webhook, seconds: 47 },
      processes: [{ name: 'mdm', idleRssMb: 300, loadRssMb: 367, burstCpuPercent: 20 }],
    });
    expect(check(slow, 'burst to mastered').pass).toBe(false);
    expect(check(slow, 'mastered events per change')).toMatchObject({ value: 1.26, pass: false });
    expect(check(slow, 'Salesforce calls')).toMatchObject({ value: 160, pass: false });
    expect(check(slow, 'Pardot writes per update (bursts')).toMatchObject({ value: 0.68, pass: false });
    expect(check(slow, 'x3-ingest webhook').pass).toBe(false);
    expect(check(slow, 'RSS')).toMatchObject({ value: 367, pass: false });
  });

  it('fails the latency target when the steady load was not all mastered, whatever the p99 of the rest', () => {
    const behind = run({ steady: { ...run().steady, mastered: 1_500, latencyMs: latencySummary([5]) } });
    expect(check(behind, 'p99').pass).toBe(false);
  });

  it('fails a burst that did not finish, and judges nothing where nothing was measured', () => {
    const unfinished = run({
      burst: { ...run().burst, mastered: { items: 900, seconds: 0.1, complete: false } },
    });
    expect(check(unfinished, 'burst to mastered').pass).toBe(false);
    const none = run({ webhook: { ...run().webhook, accepted: 0 }, processes: [] });
    expect(check(none, 'x3-ingest webhook')).toMatchObject({ value: null, pass: null });
    expect(check(none, 'RSS').pass).toBeNull();
  });

  it('judges writes per update only when the last update of every entity came through', () => {
    const behind = run({ updateBursts: { ...run().updateBursts, pardotWrites: 0, settled: 40 } });
    expect(check(behind, 'Pardot writes per update (bursts')).toMatchObject({ value: 0, pass: false });
  });

  it('does not judge writes per update when earlier writes were still coming in', () => {
    const draining = run({ spreadOut: { ...run().spreadOut, quietBefore: false, pardotWrites: 348 } });
    expect(check(draining, 'Pardot writes per update (spread')).toMatchObject({ pass: null });
    expect(e2eTable(draining).find((r) => r.measure.startsWith('spread out'))?.value).toContain(
      'NOT QUIET BEFORE',
    );
  });

  it('says n/a (not yes) for what a burst that mastered nothing could not measure', () => {
    const stuck = run({
      burst: {
        ...run().burst,
        mastered: { items: 0, seconds: 45, complete: false },
        masteredEvents: 0,
        salesforceCalls: 0,
      },
    });
    expect(check(stuck, 'mastered events per change').pass).toBeNull();
    expect(check(stuck, 'Salesforce calls').pass).toBeNull();
    const noSalesforce = run({ burst: { ...run().burst, salesforceCalls: 0 } });
    expect(check(noSalesforce, 'Salesforce calls')).toMatchObject({ value: 0, pass: null });
  });

  it('writes per update divide by every update sent', () => {
    expect(writesPerUpdate(run().updateBursts)).toBe(0.2);
    expect(writesPerUpdate({ ...run().spreadOut, entities: 0 })).toBeNull();
  });
});

describe('e2eTable', () => {
  it('lists measurements and then every check with its verdict, aligned', () => {
    const rows = e2eTable(run());
    expect(rows[0]?.measure).toContain('raw pass-through');
    expect(rows[0]?.value).toBe('20,000/s (10000 in 0.5 s)');
    expect(rows.filter((r) => r.measure.startsWith('CHECK ')).map((r) => r.ok)).toEqual(Array(9).fill('yes'));
    const text = formatTable(rows);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^measure +\| value +\| target +\| ok$/);
    expect(new Set(lines.slice(2).map((l) => l.indexOf(' | ')))).toEqual(new Set([lines[0]?.indexOf(' | ')]));
  });

  it('marks a stage that did not finish', () => {
    const rows = e2eTable(
      run({ burst: { ...run().burst, mastered: { items: 900, seconds: 45, complete: false } } }),
    );
    expect(rows.find((r) => r.measure.includes('→ mastered'))?.value).toContain('INCOMPLETE');
  });
});

describe('renderE2eChartSvg', () => {
  it('draws one labelled bar per throughput and latency, escapes text, and says n/a for what is missing', () => {
    const svg = renderE2eChartSvg(
      run({ webhook: { ...run().webhook, accepted: 0, seconds: 0 } }),
      'commit <abc> & co',
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('commit &lt;abc&gt; &amp; co');
    expect(svg.match(/<rect x=/g)).toHaveLength(7); // 3 throughput bars (webhook missing) + 4 latency bars
    expect(svg).toContain('n/a');
    expect(svg).toContain('>20,000<'); // the baseline's rate as its label
    expect(svg).toContain('>5,000<'); // the pipeline's rate
    expect(svg).toContain('>90<'); // p99 at the steady load
  });

  it('puts a larger value in a taller bar (log scale)', () => {
    const svg = renderE2eChartSvg(run(), '');
    const heights = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"/g)].map(
      (m) => Number(m[1]),
    );
    // throughput: baseline 20,000/s > pipeline 5,000/s > Pardot 250/s; webhook 2,000/s
    expect(heights[0]).toBeGreaterThan(heights[1] ?? Infinity);
    expect(heights[1]).toBeGreaterThan(heights[3] ?? Infinity);
    expect(heights[3]).toBeGreaterThan(heights[2] ?? Infinity);
  });
});
