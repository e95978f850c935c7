import { describe, expect, it } from 'vitest';
import { CallBatcher } from './call-batcher.util.js';

describe('CallBatcher', () => {
  it('sends the first call at once and the calls made meanwhile together, each caller getting its own result', async () => {
    const rounds: number[][] = [];
    let release: () => void = () => undefined;
    const batcher = new CallBatcher<number, string>(
      async (inputs) => {
        rounds.push([...inputs]);
        if (rounds.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return inputs.map((i) => `r${i}`);
      },
      { maxBatchSize: 3, concurrency: 1 },
    );
    const first = batcher.call(1);
    const rest = [2, 3, 4, 5].map((i) => batcher.call(i));
    expect(rounds).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...rest])).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(rounds).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('rejects every call of a failed round trip with its error, and goes on with the next', async () => {
    let fail = true;
    const batcher = new CallBatcher<number, number>(
      async (inputs) => {
        if (fail) {
          fail = false;
          throw new Error('broker down');
        }
        return inputs.map((i) => i * 2);
      },
      { maxBatchSize: 10, concurrency: 1 },
    );
    await expect(batcher.call(1)).rejects.toThrow('broker down');
    expect(await batcher.call(2)).toBe(4);
  });
});
