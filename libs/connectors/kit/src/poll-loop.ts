import { setTimeout as sleep } from 'node:timers/promises';

export interface PollLoopOptions<R> {
  /** Milliseconds between the end of one poll and the start of the next. */
  readonly intervalMs: number;
  /** One poll of the source (it should stop early, between batches, when `signal` aborts). */
  readonly poll: (signal: AbortSignal) => Promise<R>;
  /** Stops the loop: no new poll starts, the wait in hand ends, the poll in hand finishes. */
  readonly signal: AbortSignal;
  /** What a successful poll found (e.g. to log it). */
  readonly onResult?: (result: R) => void;
  /** A failed poll, and how long the loop waits before the next try. */
  readonly onError: (error: unknown, retryInMs: number) => void;
  /** The first wait after a failure, doubling with each failure in a row up to `intervalMs` (1 s). */
  readonly firstRetryMs?: number;
}

/**
 * Runs a source poller until `signal` aborts: one poll at a time, `intervalMs` apart; after a failure
 * the next try comes sooner (1 s, 2 s, 4 s, … never later than the interval), so a short outage of the
 * source costs little delay and a long one is not hammered. Resolves when the loop has stopped.
 */
export async function runPollLoop<R>(options: PollLoopOptions<R>): Promise<void> {
  const { signal, intervalMs } = options;
  const firstRetryMs = options.firstRetryMs ?? 1_000;
  let retryMs = firstRetryMs;
  while (!signal.aborted) {
    let wait = intervalMs;
    try {
      const result = await options.poll(signal);
      retryMs = firstRetryMs;
      options.onResult?.(result);
    } catch (error) {
      wait = Math.min(retryMs, intervalMs);
      retryMs *= 2;
      options.onError(error, wait);
    }
    try {
      await sleep(wait, undefined, { signal });
    } catch {
      return;
    }
  }
}

/**
 * The poll loops of one service component: each `start` runs a loop until `stop`, which stops them all
 * (no new poll starts, waits end) and resolves once the polls in hand have finished.
 */
export class PollLoops {
  private readonly abort = new AbortController();
  private readonly running: Promise<void>[] = [];

  get size(): number {
    return this.running.length;
  }

  start<R>(options: Omit<PollLoopOptions<R>, 'signal'>): void {
    this.running.push(runPollLoop({ ...options, signal: this.abort.signal }));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.running);
  }
}
