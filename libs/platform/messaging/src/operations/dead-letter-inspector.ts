import {
  DeadLetterSchema,
  deadLetterTopicName,
  redriveTopicName,
  type DeadLetter,
} from '@pardot-x3/canonical';
import type { DriverAdmin } from '../driver/kafka-driver.types.js';
import { headerText, TRANSPORT_HEADERS } from '../events/event-headers.js';
import type { TopicNamespace } from '../naming/topic-namespace.js';
import type { AvroSerde } from '../serde/avro-serde.js';
import type { ProgressListener } from './progress.types.js';
import type { TopicRangeReader } from './topic-range-reader.js';

/** One parked message of a group's dead-letter topic. */
export interface DeadLetterEntry {
  /** `<partition>:<offset>` in the dead-letter topic: how entries are selected. */
  readonly position: string;
  readonly partition: number;
  readonly offset: string;
  readonly envelope: DeadLetter;
  /** When it was re-driven (latest), if it was. */
  readonly redrivenAt?: Date;
}

/** Dead letters with the same error class and (normalised) message. */
export interface DeadLetterErrorGroup {
  readonly errorClass: string;
  /** The message with ids, numbers and quoted values replaced by placeholders. */
  readonly messagePattern: string;
  readonly reasons: readonly string[];
  readonly count: number;
  readonly redriven: number;
  readonly originTopics: readonly string[];
  readonly first: Date;
  readonly last: Date;
  /** Positions of up to five entries, for `dlq inspect` and `dlq redrive`. */
  readonly samplePositions: readonly string[];
}

/** Which dead letters an operation applies to; all criteria given must hold. */
export interface DeadLetterFilter {
  readonly errorClass?: string;
  /** `<partition>:<offset>` positions (or bare offsets of partition 0). */
  readonly positions?: readonly string[];
  readonly eventIds?: readonly string[];
  /** Include entries already re-driven (default false). */
  readonly includeRedriven?: boolean;
}

/** Reads a consumer group's dead-letter topic, with what was already re-driven. */
export class DeadLetterInspector {
  constructor(
    private readonly admin: DriverAdmin,
    private readonly reader: TopicRangeReader,
    private readonly serde: AvroSerde,
    private readonly namespace: TopicNamespace,
  ) {}

  /** Every entry of `<group>.dlq` up to now, oldest first. */
  async read(
    group: string,
    options: { readonly onProgress?: ProgressListener } = {},
  ): Promise<DeadLetterEntry[]> {
    const topic = this.namespace.topic(deadLetterTopicName(group));
    const offsets = await this.admin.fetchTopicOffsets(topic);
    const total = offsets.reduce((sum, o) => sum + Number(BigInt(o.high) - BigInt(o.low)), 0);
    const redriven = await this.redrivenPositions(group);
    const entries: DeadLetterEntry[] = [];
    await this.reader.read(
      topic,
      offsets.map((o) => ({ partition: o.partition, start: BigInt(o.low), end: BigInt(o.high) })),
      async (message) => {
        if (message.value === null) return;
        const envelope = await this.serde.deserialize(message.value, DeadLetterSchema);
        const position = `${message.partition}:${message.offset}`;
        entries.push({
          position,
          partition: message.partition,
          offset: message.offset,
          envelope,
          redrivenAt: redriven.get(position),
        });
      },
      { onProgress: (done) => options.onProgress?.({ done, total }) },
    );
    return entries.sort(
      (a, b) =>
        a.envelope.deadLetteredAt.getTime() - b.envelope.deadLetteredAt.getTime() ||
        a.position.localeCompare(b.position),
    );
  }

  /** Positions already re-driven, from the headers of the group's redrive topic. */
  private async redrivenPositions(group: string): Promise<Map<string, Date>> {
    const topic = this.namespace.topic(redriveTopicName(group));
    const offsets = await this.admin.fetchTopicOffsets(topic);
    const positions = new Map<string, Date>();
    await this.reader.read(
      topic,
      offsets.map((o) => ({ partition: o.partition, start: BigInt(o.low), end: BigInt(o.high) })),
      (message) => {
        const of = headerText(message.headers, TRANSPORT_HEADERS.redriveOf);
        if (of)
          positions.set(
            of,
            new Date(Number(headerText(message.headers, TRANSPORT_HEADERS.redrivenAt) ?? message.timestamp)),
          );
      },
    );
    return positions;
  }
}

/** Entries grouped by error class and message pattern, largest group first. */
export function summarizeDeadLetters(entries: readonly DeadLetterEntry[]): DeadLetterErrorGroup[] {
  const groups = new Map<string, DeadLetterEntry[]>();
  for (const entry of entries) {
    const key = `${entry.envelope.errorClass}\u0000${messagePattern(entry.envelope.errorMessage)}`;
    const list = groups.get(key) ?? [];
    list.push(entry);
    groups.set(key, list);
  }
  return [...groups.values()]
    .map((list) => {
      const first = list[0];
      const times = list.map((e) => e.envelope.deadLetteredAt.getTime());
      return {
        errorClass: first?.envelope.errorClass ?? 'unknown',
        messagePattern: messagePattern(first?.envelope.errorMessage ?? ''),
        reasons: [...new Set(list.map((e) => e.envelope.reason))],
        count: list.length,
        redriven: list.filter((e) => e.redrivenAt !== undefined).length,
        originTopics: [...new Set(list.map((e) => e.envelope.origin.topic))].sort(),
        first: new Date(Math.min(...times)),
        last: new Date(Math.max(...times)),
        samplePositions: list.slice(0, 5).map((e) => e.position),
      };
    })
    .sort((a, b) => b.count - a.count || a.errorClass.localeCompare(b.errorClass));
}

export function selectDeadLetters(
  entries: readonly DeadLetterEntry[],
  filter: DeadLetterFilter,
): DeadLetterEntry[] {
  const positions = filter.positions?.map((p) => (p.includes(':') ? p : `0:${p}`));
  return entries.filter(
    (e) =>
      (filter.includeRedriven === true || e.redrivenAt === undefined) &&
      (filter.errorClass === undefined || e.envelope.errorClass === filter.errorClass) &&
      (positions === undefined || positions.includes(e.position)) &&
      (filter.eventIds === undefined ||
        (e.envelope.eventId !== null && filter.eventIds.includes(e.envelope.eventId))),
  );
}

/** Replaces what varies between occurrences of one error (ids, numbers, quoted values, e-mails). */
export function messagePattern(message: string): string {
  return (
    message
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
      .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '<email>')
      .replace(/"[^"]*"|'[^']*'/g, '"…"')
      // Record ids mixing letters and digits (X3 C0001, Salesforce 001D000000IqhSLIAZ).
      .replace(/\b(?=[\w-]*[a-z])(?=[\w-]*\d)[\w-]{2,}\b/gi, '<id>')
      .replace(/\b\d+(\.\d+)?\b/g, '<n>')
  );
}
