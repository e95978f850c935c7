import { setImmediate as yieldToIo, setTimeout as sleep } from 'node:timers/promises';
import { backgroundLoopMetrics } from './background-loop.metrics.js';

/** What a run may say about the next one. */
export interface LoopRunOutcome {
  /** More work is waiting: the next run starts at once instead of after the interval. */
  readonly again: boolean;
}

export interface BackgroundLoopOptions {
  /** Names the loop in logs and in the `px3_background_loop_*` metrics (label `loop`), e.g. `x3-poll:SORDER`. */
  readonly name: string;
  /** Milliseconds between the end of one run and the start of the next. */
  readonly intervalMs: number;
  /**
   * One run. `signal` aborts when the loop stops: a long run should end early at a safe point (between
   * batches); the loop waits for the run in hand either way. Resolving `{ again: true }` starts the
   * next run at once (a round that found work); anything else waits `intervalMs`.
   */
  readonly run: (signal: AbortSignal) => Promise<LoopRunOutcome | void>;
  /** A failed run, and how long the loop waits before the next try (the loop never stops on a failure). */
  readonly onError: (error: unknown, retryInMs: number) => void;
  /**
   * The wait after a failure: `firstRetryMs` (default 1 s), doubling with each failure in a row, at most
   * `maxRetryMs` (default: the larger of the interval and `firstRetryMs`). A short outage costs a short
   * delay, a long one is not hammered, and a fast loop does not spin on a broken dependency.
   */
  readonly firstRetryMs?: number;
  readonly maxRetryMs?: number;
  /** Default true: the first run starts with the loop; false: after one interval. */
  readonly runAtStart?: boolean;
}

/** How long a loop waits after its `failures`-th failure in a row (1 = the first). */
export function loopRetryDelayMs(
  failures: number,
  options: Pick<BackgroundLoopOptions, 'intervalMs' | 'firstRetryMs' | 'maxRetryMs'>,
): number {
  const first = options.firstRetryMs ?? 1_000;
  const max = options.maxRetryMs ?? Math.max(options.intervalMs, first);
  return Math.min(max, first * 2 ** Math.max(0, failures - 1));
}

/**
 * The one way background work runs in pardot-x3 (docs/conventions.md, "Background work"): one run at a
 * time, `intervalMs` apart (at once again when a run says there is more), backing off after
 * failures, counted per loop in `px3_background_loop_*`. `stop()` starts no new run, ends the wait in
 * hand and resolves once the run in hand has finished.
 */
export class BackgroundLoop {
  private readonly abort = new AbortController();
  private running?: Promise<void>;

  constructor(private readonly options: BackgroundLoopOptions) {}

  get name(): string {
    return this.options.name;
  }

  /** Starts the loop (a second call does nothing). */
  start(): void {
    this.running ??= this.loop();
  }

  /** Stops the loop: no new run, the wait in hand ends; resolves when the run in hand has finished. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { signal } = this.abort;
    const { name } = this.options;
    const metrics = backgroundLoopMetrics();
    let failures = 0;
    if (this.options.runAtStart === false && !(await this.wait(this.options.intervalMs))) return;
    while (!signal.aborted) {
      let wait = this.options.intervalMs;
      try {
        const outcome = await this.options.run(signal);
        failures = 0;
        metrics.lastSuccess.set({ loop: name }, Date.now() / 1_000);
        if (outcome?.again) wait = 0;
      } catch (error) {
        failures += 1;
        wait = loopRetryDelayMs(failures, this.options);
        metrics.failures.inc({ loop: name });
        this.options.onError(error, wait);
      } finally {
        metrics.runs.inc({ loop: name });
      }
      if (wait === 0)
        await yieldToIo(); // a run that finds work again and again still lets I/O through
      else if (!(await this.wait(wait))) return;
    }
  }

  /** False when the loop was stopped during the wait. */
  private async wait(ms: number): Promise<boolean> {
    try {
      // ref: false — a waiting loop does not keep the process alive on its own.
      await sleep(ms, undefined, { signal: this.abort.signal, ref: false });
      return true;
    } catch {
      return false;
    }
  }
}

/** The loops of one component: each `start` runs a loop until `stop`, which stops them all together. */
export class BackgroundLoops {
  private readonly loops: BackgroundLoop[] = [];

  get size(): number {
    return this.loops.length;
  }

  start(options: BackgroundLoopOptions): BackgroundLoop {
    const loop = new BackgroundLoop(options);
    this.loops.push(loop);
    loop.start();
    return loop;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.loops.map((loop) => loop.stop()));
  }
}
