import { redriveTopicName } from '@pardot-x3/canonical';
import type { OutgoingRecord } from '../driver/kafka-driver.types.js';
import { TRANSPORT_HEADERS } from '../events/event-headers.js';
import type { TopicNamespace } from '../naming/topic-namespace.js';
import type { EventProducer } from '../producer/event-producer.js';
import type { DeadLetterEntry } from './dead-letter-inspector.js';
import type { ProgressListener } from './progress.types.js';

export interface RedriveResult {
  /** Physical topic the entries were (or would be) sent to. */
  readonly target: string;
  readonly redriven: readonly DeadLetterEntry[];
}

/**
 * Sends dead letters back to the consumer group that parked them, after a fix: the original key,
 * bytes and headers go to `<group>.redrive`, which only that group reads (a copy on the original topic
 * would reach every group, and on a compacted topic would resurrect an old state). The group handles
 * it at once, with a fresh set of retries; its inbox makes a second re-drive of the same event a no-op.
 */
export class DeadLetterRedriver {
  constructor(
    private readonly producer: EventProducer,
    private readonly namespace: TopicNamespace,
  ) {}

  async redrive(
    group: string,
    entries: readonly DeadLetterEntry[],
    options: { readonly dryRun?: boolean; readonly onProgress?: ProgressListener } = {},
  ): Promise<RedriveResult> {
    const target = this.namespace.topic(redriveTopicName(group));
    if (options.dryRun || entries.length === 0) return { target, redriven: entries };
    const now = String(Date.now());
    let done = 0;
    for (let i = 0; i < entries.length; i += 100) {
      const slice = entries.slice(i, i + 100);
      const records: OutgoingRecord[] = slice.map(({ envelope, position }) => {
        const headers: Record<string, string | Buffer> = {};
        for (const header of envelope.headers) if (header.value !== null) headers[header.name] = header.value;
        Object.assign(headers, {
          [TRANSPORT_HEADERS.originTopic]: envelope.origin.topic,
          [TRANSPORT_HEADERS.originPartition]: String(envelope.origin.partition),
          [TRANSPORT_HEADERS.originOffset]: String(envelope.origin.offset),
          [TRANSPORT_HEADERS.originTimestamp]: String(envelope.origin.timestamp.getTime()),
          [TRANSPORT_HEADERS.attempt]: String(envelope.attempts + 1),
          [TRANSPORT_HEADERS.firstFailedAt]: String(envelope.firstFailedAt.getTime()),
          [TRANSPORT_HEADERS.redriveOf]: position,
          [TRANSPORT_HEADERS.redrivenAt]: now,
        });
        return { topic: target, key: envelope.key, value: envelope.payload, headers };
      });
      await this.producer.sendEncoded(records);
      done += slice.length;
      options.onProgress?.({ done, total: entries.length, item: slice[slice.length - 1]?.position });
    }
    return { target, redriven: entries };
  }
}
