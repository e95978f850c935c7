import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../driver/kafka-driver.types.js';
import { handleByKey, type MessageOutcome } from './key-ordered-batch.js';

const message = (offset: number, key: string | null): IncomingMessage => ({
  topic: 't',
  partition: 0,
  offset: String(offset),
  key: key === null ? null : Buffer.from(key),
  value: null,
  headers: {},
  timestamp: 0,
});

describe('handleByKey', () => {
  it('keeps the order of each key while handling different keys side by side', async () => {
    const batch = [message(0, 'a'), message(1, 'b'), message(2, 'a'), message(3, 'b'), message(4, 'a')];
    const order: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const { done } = await handleByKey(
      batch,
      2,
      async (m): Promise<MessageOutcome> => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(m.key?.toString() === 'a' ? 5 : 1);
        order.push(`${m.key?.toString()}${m.offset}`);
        inFlight -= 1;
        return { kind: 'done' };
      },
      () => true,
    );
    expect(done).toEqual([true, true, true, true, true]);
    expect(order.filter((o) => o.startsWith('a'))).toEqual(['a0', 'a2', 'a4']);
    expect(order.filter((o) => o.startsWith('b'))).toEqual(['b1', 'b3']);
    expect(maxInFlight).toBe(2);
  });

  it('stops every key at a stop outcome and reports the longest pause asked for', async () => {
    const batch = [message(0, 'a'), message(1, 'a'), message(2, 'a')];
    const { done, pauseMs } = await handleByKey(
      batch,
      1,
      async (m) => (m.offset === '1' ? { kind: 'stop', pauseMs: 250 } : { kind: 'done' }),
      () => true,
    );
    expect(done).toEqual([true, false, false]);
    expect(pauseMs).toBe(250);
  });

  it('starts nothing more once told to stop (shutdown, rebalance)', async () => {
    let running = true;
    const { done } = await handleByKey(
      [message(0, null), message(1, null), message(2, null)],
      1,
      async () => {
        running = false;
        return { kind: 'done' };
      },
      () => running,
    );
    expect(done).toEqual([true, false, false]);
  });
});
