import { randomBytes } from 'node:crypto';
import type { IncomingMessage, KafkaDriver } from '../driver/kafka-driver.types.js';
import type { TopicNamespace } from '../naming/topic-namespace.js';

/** Offsets `[start, end)` of one partition. */
export interface PartitionRange {
  readonly partition: number;
  readonly start: bigint;
  readonly end: bigint;
}

export interface ReadRangesOptions {
  /** Called after each batch with the messages read so far. */
  readonly onProgress?: (read: number) => void;
  /** Gives up when nothing arrives for this long (default 15 s): a range ending in compacted-away offsets. */
  readonly idleTimeoutMs?: number;
}

/**
 * Reads exact offset ranges of a topic (for tools: dead-letter listing, replay), with a throwaway
 * consumer group that never commits, so no group's position is touched. Resolves once every range
 * was read to its end.
 */
export class TopicRangeReader {
  constructor(
    private readonly driver: KafkaDriver,
    private readonly namespace: TopicNamespace,
  ) {}

  async read(
    topic: string,
    ranges: readonly PartitionRange[],
    onMessage: (message: IncomingMessage) => Promise<void> | void,
    options: ReadRangesOptions = {},
  ): Promise<{ readonly read: number; readonly complete: boolean }> {
    const pending = new Map(ranges.filter((r) => r.end > r.start).map((r) => [r.partition, r]));
    if (pending.size === 0) return { read: 0, complete: true };
    const consumer = this.driver.createConsumer({
      groupId: this.namespace.group(`pardot-x3-ops.reader-${randomBytes(5).toString('hex')}`),
      maxWaitTimeMs: 200,
    });
    let read = 0;
    let lastProgress = Date.now();
    let finish: (complete: boolean) => void = () => undefined;
    let fail: (error: Error) => void = () => undefined;
    const finished = new Promise<boolean>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    await consumer.connect();
    try {
      await consumer.subscribe([topic], true);
      await consumer.run({
        partitionsConsumedConcurrently: 3,
        eachBatch: async (batch, control) => {
          const range = pending.get(batch.partition);
          if (!range) return;
          for (const message of batch.messages) {
            const offset = BigInt(message.offset);
            if (offset >= range.end) break;
            if (offset >= range.start) {
              try {
                await onMessage(message);
              } catch (error) {
                fail(error instanceof Error ? error : new Error(String(error)));
                return;
              }
              read += 1;
            }
            control.resolveOffset(message.offset);
          }
          lastProgress = Date.now();
          options.onProgress?.(read);
          const last = batch.messages[batch.messages.length - 1];
          if (BigInt(batch.nextOffset) >= range.end || (last && BigInt(last.offset) >= range.end - 1n)) {
            pending.delete(batch.partition);
            if (pending.size === 0) finish(true);
          }
        },
      });
      for (const range of pending.values())
        consumer.seek({ topic, partition: range.partition, offset: range.start.toString() });
      const idleTimeoutMs = options.idleTimeoutMs ?? 15_000;
      const watchdog = setInterval(() => {
        if (Date.now() - lastProgress > idleTimeoutMs) finish(false);
      }, 500);
      try {
        const complete = await finished;
        return { read, complete };
      } finally {
        clearInterval(watchdog);
      }
    } finally {
      await consumer.disconnect();
    }
  }
}
