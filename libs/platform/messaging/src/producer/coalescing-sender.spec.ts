import { describe, expect, it } from 'vitest';
import type { OutgoingRecord, RecordMetadata } from '../driver/kafka-driver.types.js';
import { CoalescingSender } from './coalescing-sender.js';

const record = (name: string, bytes = 10): OutgoingRecord => ({
  topic: 't',
  key: name,
  value: Buffer.alloc(bytes, name),
  partition: 0,
});

/** A driver whose requests the test completes by hand, recording what each carried. */
function fakeDriver() {
  const requests: { names: string[]; settle: (error?: Error) => void }[] = [];
  let offset = 0;
  const sendRequest = (records: readonly OutgoingRecord[]): Promise<RecordMetadata[]> =>
    new Promise((resolve, reject) => {
      const names = records.map((r) => String(r.key));
      requests.push({
        names,
        settle: (error) => {
          if (error) return reject(error);
          resolve(records.map((r) => ({ topic: r.topic, partition: 0, offset: String(offset++) })));
        },
      });
    });
  return { requests, sendRequest };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescingSender', () => {
  it('sends what arrives while a request is in flight together in the next request, each send getting its own results', async () => {
    const driver = fakeDriver();
    const sender = new CoalescingSender(driver.sendRequest);
    const first = sender.send([record('a')]);
    const second = sender.send([record('b'), record('c')]);
    const third = sender.send([record('d')]);
    await tick();
    expect(driver.requests.map((r) => r.names)).toEqual([['a']]);
    driver.requests[0]?.settle();
    await tick();
    expect(driver.requests.map((r) => r.names)).toEqual([['a'], ['b', 'c', 'd']]);
    driver.requests[1]?.settle();
    expect((await first).map((m) => m.offset)).toEqual(['0']);
    expect((await second).map((m) => m.offset)).toEqual(['1', '2']);
    expect((await third).map((m) => m.offset)).toEqual(['3']);
  });

  it('keeps up to maxInFlight requests going at once', async () => {
    const driver = fakeDriver();
    const sender = new CoalescingSender(driver.sendRequest, { maxInFlight: 2 });
    void sender.send([record('a')]);
    void sender.send([record('b')]);
    void sender.send([record('c')]);
    await tick();
    expect(driver.requests.map((r) => r.names)).toEqual([['a'], ['b']]);
  });

  it('merges only up to maxRequestBytes, never splitting one send', async () => {
    const driver = fakeDriver();
    const sender = new CoalescingSender(driver.sendRequest, { maxRequestBytes: 250 });
    void sender.send([record('a')]);
    void sender.send([record('b', 100)]);
    void sender.send([record('c', 100)]);
    void sender.send([record('d', 500), record('e')]);
    await tick();
    driver.requests[0]?.settle();
    await tick();
    driver.requests[1]?.settle();
    await tick();
    driver.requests[2]?.settle();
    await tick();
    expect(driver.requests.map((r) => r.names)).toEqual([['a'], ['b'], ['c'], ['d', 'e']]);
  });

  it('when a merged request fails, sends each of its sends alone so only the bad one fails', async () => {
    const driver = fakeDriver();
    const sender = new CoalescingSender(driver.sendRequest);
    const first = sender.send([record('a')]);
    const good = sender.send([record('b')]);
    const bad = sender.send([record('x')]);
    await tick();
    driver.requests[0]?.settle();
    await tick();
    driver.requests[1]?.settle(new Error('MESSAGE_TOO_LARGE'));
    await tick();
    expect(driver.requests.map((r) => r.names)).toEqual([['a'], ['b', 'x'], ['b']]);
    driver.requests[2]?.settle();
    await tick();
    driver.requests[3]?.settle(new Error('MESSAGE_TOO_LARGE'));
    await first;
    expect(await good).toHaveLength(1);
    await expect(bad).rejects.toThrow('MESSAGE_TOO_LARGE');
    expect(driver.requests.map((r) => r.names)).toEqual([['a'], ['b', 'x'], ['b'], ['x']]);
  });

  it('does not hold sends behind a request the client is still retrying', async () => {
    const driver = fakeDriver();
    const sender = new CoalescingSender(driver.sendRequest, { stalledAfterMs: 30 });
    void sender.send([record('a')]);
    void sender.send([record('b')]);
    await tick();
    expect(driver.requests.map((r) => r.names)).toEqual([['a']]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(driver.requests.map((r) => r.names)).toEqual([['a'], ['b']]);
  });

  it('sends nothing for an empty send', async () => {
    const driver = fakeDriver();
    expect(await new CoalescingSender(driver.sendRequest).send([])).toEqual([]);
    expect(driver.requests).toEqual([]);
  });
});
