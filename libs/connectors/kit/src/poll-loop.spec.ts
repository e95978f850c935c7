import { describe, expect, it } from 'vitest';
import { PollLoops, runPollLoop } from './poll-loop.js';

describe('runPollLoop', () => {
  it('tries again sooner after failures (doubling, never later than the interval), and resets on success', async () => {
    const abort = new AbortController();
    const outcomes = ['fail', 'fail', 'fail', 'ok', 'fail', 'ok'];
    const retries: number[] = [];
    const results: number[] = [];
    let polls = 0;
    await runPollLoop({
      intervalMs: 25,
      firstRetryMs: 10,
      signal: abort.signal,
      poll: async () => {
        const outcome = outcomes[polls++];
        if (polls === outcomes.length) abort.abort();
        if (outcome === 'fail') throw new Error(`poll ${polls} failed`);
        return polls;
      },
      onResult: (result) => results.push(result),
      onError: (_error, retryInMs) => retries.push(retryInMs),
    });
    expect(polls).toBe(outcomes.length);
    // 10, 20, then 40 capped at the 25 ms interval; after a success the next failure starts at 10 again.
    expect(retries).toEqual([10, 20, 25, 10]);
    expect(results).toEqual([4, 6]);
  });

  it('stops during the wait when aborted, without starting another poll', async () => {
    const abort = new AbortController();
    let polls = 0;
    const loop = runPollLoop({
      intervalMs: 60_000,
      signal: abort.signal,
      poll: async () => ++polls,
      onError: () => undefined,
    });
    await new Promise((resolve) => setImmediate(resolve));
    abort.abort();
    await loop;
    expect(polls).toBe(1);
  });

  it('lets the poll in hand finish and passes it the signal to stop between batches', async () => {
    const abort = new AbortController();
    const seen: boolean[] = [];
    await runPollLoop({
      intervalMs: 1,
      signal: abort.signal,
      poll: async (signal) => {
        abort.abort();
        seen.push(signal.aborted);
        return 'done';
      },
      onError: () => undefined,
    });
    expect(seen).toEqual([true]);
  });

  it('stops every loop of a PollLoops at once, after the polls in hand', async () => {
    const loops = new PollLoops();
    const polled: string[] = [];
    for (const name of ['a', 'b'])
      loops.start({ intervalMs: 60_000, poll: async () => polled.push(name), onError: () => undefined });
    expect(loops.size).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    await loops.stop();
    expect(polled.sort()).toEqual(['a', 'b']);
  });
});
