import { replayTopicName } from '@pardot-x3/canonical';
import type { DriverAdmin, IncomingMessage, OutgoingRecord } from '../driver/kafka-driver.types.js';
import { TRANSPORT_HEADERS, withoutTransportHeaders } from '../events/event-headers.js';
import { newEventId } from '../events/event-id.js';
import type { TopicNamespace } from '../naming/topic-namespace.js';
import type { EventProducer } from '../producer/event-producer.js';
import type { ProgressListener } from './progress.types.js';
import type { TopicRangeReader } from './topic-range-reader.js';

export interface ReplayResult {
  readonly replayId: string;
  /** Physical topics. */
  readonly source: string;
  readonly target: string;
  readonly from: Date;
  readonly to: Date;
  /** Messages looked at (from the first one at `from` to the end of each partition). */
  readonly scanned: number;
  /** Messages in [from, to), copied (or to copy, in a dry run). */
  readonly selected: number;
  readonly perPartition: readonly { readonly partition: number; readonly selected: number }[];
  /** False when a partition could not be read to its end (see the reader's idle timeout). */
  readonly complete: boolean;
}

/**
 * Replays a time range of a topic: copies every message whose timestamp is in [from, to) into
 * `<topic>.replay`, same partition, same key, bytes and headers, tagged with a replay id. Every group
 * reading the topic reads its replay topic too and handles the copies like the originals; the inbox
 * keys them by replay id, so a replay is applied once per group even if a consumer crashes midway.
 */
export class TopicReplayer {
  constructor(
    private readonly admin: DriverAdmin,
    private readonly reader: TopicRangeReader,
    private readonly producer: EventProducer,
    private readonly namespace: TopicNamespace,
  ) {}

  async replay(
    topic: string,
    from: Date,
    to: Date,
    options: {
      readonly dryRun?: boolean;
      readonly onProgress?: ProgressListener;
      readonly replayId?: string;
    } = {},
  ): Promise<ReplayResult> {
    if (!(from < to))
      throw new Error(
        `The replay range is empty: from (${from.toISOString()}) must be before to (${to.toISOString()})`,
      );
    const source = this.namespace.topic(topic);
    const target = this.namespace.topic(replayTopicName(topic));
    const replayId = options.replayId ?? newEventId();
    const [starts, ends, targetOffsets] = await Promise.all([
      this.admin.fetchTopicOffsetsByTimestamp(source, from.getTime()),
      this.admin.fetchTopicOffsets(source),
      this.admin.fetchTopicOffsets(target),
    ]);
    const samePartitions = targetOffsets.length === ends.length;
    // Exact: a message before the first offset at `from` is older than `from`; after it, each timestamp is checked.
    const ranges = ends.map((end) => ({
      partition: end.partition,
      start: BigInt(starts.find((s) => s.partition === end.partition)?.offset ?? end.high),
      end: BigInt(end.high),
    }));
    const total = ranges.reduce((sum, r) => sum + Number(r.end - r.start), 0);
    const perPartition = new Map<number, number>();
    let scanned = 0;
    let buffer: OutgoingRecord[] = [];
    const flush = async () => {
      if (options.dryRun || buffer.length === 0) return;
      const records = buffer;
      buffer = [];
      await this.producer.sendEncoded(records);
    };
    const replayedAt = String(Date.now());
    const { complete } = await this.reader.read(source, ranges, async (message: IncomingMessage) => {
      scanned += 1;
      if (message.timestamp < from.getTime() || message.timestamp >= to.getTime()) return;
      perPartition.set(message.partition, (perPartition.get(message.partition) ?? 0) + 1);
      buffer.push({
        topic: target,
        key: message.key,
        value: message.value,
        // A copy's own timestamp is now (so retention counts from the replay); the original's is a header.
        partition: samePartitions ? message.partition : undefined,
        headers: {
          ...withoutTransportHeaders(message.headers),
          [TRANSPORT_HEADERS.replayId]: replayId,
          [TRANSPORT_HEADERS.replayedAt]: replayedAt,
          [TRANSPORT_HEADERS.originTopic]: topic,
          [TRANSPORT_HEADERS.originPartition]: String(message.partition),
          [TRANSPORT_HEADERS.originOffset]: message.offset,
          [TRANSPORT_HEADERS.originTimestamp]: String(message.timestamp),
        },
      });
      if (buffer.length >= 200) await flush();
      options.onProgress?.({ done: scanned, total });
    });
    await flush();
    options.onProgress?.({ done: total, total });
    const selected = [...perPartition.values()].reduce((a, b) => a + b, 0);
    return {
      replayId,
      source,
      target,
      from,
      to,
      scanned,
      selected,
      perPartition: [...perPartition.entries()]
        .sort(([a], [b]) => a - b)
        .map(([partition, count]) => ({ partition, selected: count })),
      complete,
    };
  }
}
