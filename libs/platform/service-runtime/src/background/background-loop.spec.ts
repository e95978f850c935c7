import { metricsRegistry } from '@pardot-x3/observability';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BackgroundLoop, BackgroundLoops, loopRetryDelayMs } from './background-loop.js';
import { backgroundLoopMetrics } from './background-loop.metrics.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(2);
  }
}

async function metricValue(name: string, loop: string): Promise<number | undefined> {
  const metric = await metricsRegistry.getSingleMetric(name)?.get();
  return metric?.values.find((value) => value.labels['loop'] === loop)?.value;
}

describe('BackgroundLoop', () => {
  it('waits the interval between the end of one run and the start of the next', async () => {
    const starts: number[] = [];
    const loop = new BackgroundLoop({
      name: 'test-interval',
      intervalMs: 40,
      run: async () => {
        starts.push(performance.now());
      },
      onError: () => undefined,
    });
    loop.start();
    await until(() => starts.length >= 3);
    await loop.stop();
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(38);
  });

  it('runs again at once while a run says there is more work, then waits the interval', async () => {
    let runs = 0;
    const loop = new BackgroundLoop({
      name: 'test-again',
      intervalMs: 60_000,
      run: async () => ({ again: ++runs < 5 }),
      onError: () => undefined,
    });
    loop.start();
    await until(() => runs >= 5);
    await sleep(30);
    await loop.stop();
    expect(runs).toBe(5);
  });

  it('backs off after failures (doubling, capped) and starts over after a success', async () => {
    const outcomes = ['fail', 'fail', 'fail', 'ok', 'fail', 'ok'];
    const retries: number[] = [];
    let runs = 0;
    const loop = new BackgroundLoop({
      name: 'test-backoff',
      intervalMs: 25,
      firstRetryMs: 10,
      run: async () => {
        const outcome = outcomes[runs++];
        if (outcome === 'fail') throw new Error(`run ${runs} failed`);
      },
      onError: (_error, retryInMs) => retries.push(retryInMs),
    });
    loop.start();
    await until(() => runs >= outcomes.length);
    await loop.stop();
    // 10, 20, then 40 capped at the 25 ms interval; after a success the next failure starts at 10 again.
    expect(retries).toEqual([10, 20, 25, 10]);
  });

  it('backs off beyond a short interval up to maxRetryMs, so a fast loop does not spin on a failure', () => {
    const options = { intervalMs: 50, firstRetryMs: 100, maxRetryMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => loopRetryDelayMs(n, options))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
    expect(loopRetryDelayMs(3, { intervalMs: 30_000 })).toBe(4_000);
    expect(loopRetryDelayMs(9, { intervalMs: 30_000 })).toBe(30_000);
  });

  it('never runs twice at once, even when runs take longer than the interval', async () => {
    let inHand = 0;
    let most = 0;
    let runs = 0;
    const loop = new BackgroundLoop({
      name: 'test-one-at-a-time',
      intervalMs: 1,
      run: async () => {
        inHand += 1;
        most = Math.max(most, inHand);
        await sleep(15);
        inHand -= 1;
        runs += 1;
        return { again: runs % 2 === 0 };
      },
      onError: () => undefined,
    });
    loop.start();
    loop.start(); // a second start does nothing
    await until(() => runs >= 6);
    await loop.stop();
    expect(most).toBe(1);
  });

  it('stop waits for the run in hand, aborts its signal, and starts no new run', async () => {
    const release = deferred();
    const signals: AbortSignal[] = [];
    let runs = 0;
    const loop = new BackgroundLoop({
      name: 'test-stop',
      intervalMs: 1,
      run: async (signal) => {
        runs += 1;
        signals.push(signal);
        await release.promise;
      },
      onError: () => undefined,
    });
    loop.start();
    await until(() => runs === 1);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await sleep(20);
    expect(stopped).toBe(false);
    expect(signals[0]?.aborted).toBe(true);
    release.resolve();
    await stopping;
    await sleep(10);
    expect(runs).toBe(1);
  });

  it('stops during the wait without starting another run', async () => {
    let runs = 0;
    const loop = new BackgroundLoop({
      name: 'test-stop-waiting',
      intervalMs: 60_000,
      run: async () => {
        runs += 1;
      },
      onError: () => undefined,
    });
    loop.start();
    await until(() => runs === 1);
    const before = performance.now();
    await loop.stop();
    expect(performance.now() - before).toBeLessThan(1_000);
    expect(runs).toBe(1);
  });

  it('with runAtStart false, waits one interval before the first run', async () => {
    let runs = 0;
    const loop = new BackgroundLoop({
      name: 'test-delayed-start',
      intervalMs: 60_000,
      runAtStart: false,
      run: async () => {
        runs += 1;
      },
      onError: () => undefined,
    });
    loop.start();
    await sleep(30);
    await loop.stop();
    expect(runs).toBe(0);
  });

  it('counts runs, failures and the last success per loop', async () => {
    backgroundLoopMetrics();
    let runs = 0;
    const before = Date.now() / 1_000;
    const loop = new BackgroundLoop({
      name: 'test-metrics',
      intervalMs: 1,
      firstRetryMs: 1,
      run: async () => {
        runs += 1;
        if (runs === 2 || runs === 3) throw new Error('down');
      },
      onError: () => undefined,
    });
    loop.start();
    await until(() => runs >= 4);
    await loop.stop();
    expect(await metricValue('px3_background_loop_runs_total', 'test-metrics')).toBe(runs);
    expect(await metricValue('px3_background_loop_failures_total', 'test-metrics')).toBe(2);
    const lastSuccess = await metricValue(
      'px3_background_loop_last_success_timestamp_seconds',
      'test-metrics',
    );
    expect(lastSuccess).toBeGreaterThanOrEqual(before);
    expect(await metricValue('px3_background_loop_runs_total', 'test-interval')).toBeGreaterThan(0);
  });
});

describe('BackgroundLoops', () => {
  it('stops every loop at once, after the runs in hand', async () => {
    const loops = new BackgroundLoops();
    const ran: string[] = [];
    for (const name of ['a', 'b'])
      loops.start({
        name: `test-group-${name}`,
        intervalMs: 60_000,
        run: async () => {
          await sleep(10);
          ran.push(name);
        },
        onError: () => undefined,
      });
    expect(loops.size).toBe(2);
    await sleep(1);
    await loops.stop();
    expect(ran.sort()).toEqual(['a', 'b']);
  });
});
