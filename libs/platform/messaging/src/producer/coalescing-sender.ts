import type { OutgoingRecord, RecordMetadata } from '../driver/kafka-driver.types.js';

/** Limits of one coalesced request. */
export interface CoalescingSenderOptions {
  /** Requests sent at the same time (default 1: the next one carries everything queued meanwhile). */
  readonly maxInFlight?: number;
  /** Records of several sends are merged up to about this many bytes (default 512 KiB; one send alone may exceed it). */
  readonly maxRequestBytes?: number;
  /**
   * A request in flight longer than this (default 1 s: the client is retrying, e.g. a topic without a
   * leader) no longer holds the others back: the next request goes without waiting for it.
   */
  readonly stalledAfterMs?: number;
}

interface PendingSend {
  readonly records: readonly OutgoingRecord[];
  readonly bytes: number;
  readonly resolve: (results: RecordMetadata[]) => void;
  readonly reject: (error: unknown) => void;
}

const DEFAULT_MAX_REQUEST_BYTES = 512 * 1024;
const DEFAULT_STALLED_AFTER_MS = 1_000;

/**
 * Merges sends that overlap in time into as few driver requests as possible: while a request is in
 * flight, every send that arrives waits, and the next request carries all of them together (up to
 * `maxRequestBytes`). Concurrent consumers (partitions, keys) then share one producer request per
 * round trip instead of queueing one small request each behind the client's in-flight limit (kafkajs's
 * idempotent producer holds one request per broker at a time).
 *
 * Each send resolves with its own records' metadata, in order, once the request holding them is
 * acknowledged. The records of one send are never split across requests, and sends are taken in
 * arrival order, so one caller's sends stay in order. When a merged request fails, its sends are tried
 * again each on its own, so a bad record fails only the send it belongs to. A request the client is
 * still retrying after `stalledAfterMs` stops counting against the limit, so sends to healthy topics
 * are not held behind one that has no leader.
 */
export class CoalescingSender {
  private readonly queue: PendingSend[] = [];
  /** Requests in flight that still count against the limit (not stalled). */
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly maxRequestBytes: number;
  private readonly stalledAfterMs: number;

  constructor(
    private readonly sendRequest: (records: readonly OutgoingRecord[]) => Promise<RecordMetadata[]>,
    options: CoalescingSenderOptions = {},
  ) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
    this.maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    this.stalledAfterMs = options.stalledAfterMs ?? DEFAULT_STALLED_AFTER_MS;
  }

  /** Sends the records (in one request with whatever else is waiting); resolves with their metadata. */
  send(records: readonly OutgoingRecord[]): Promise<RecordMetadata[]> {
    if (records.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ records, bytes: sizeOf(records), resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight += 1;
      let counted = true;
      const release = (): void => {
        if (!counted) return;
        counted = false;
        this.inFlight -= 1;
        this.pump();
      };
      const stalled = setTimeout(release, this.stalledAfterMs);
      stalled.unref();
      void this.flight(batch).finally(() => {
        clearTimeout(stalled);
        release();
      });
    }
  }

  /** The sends of the next request: the oldest, then the next ones while they fit. */
  private take(): PendingSend[] {
    const batch: PendingSend[] = [];
    let bytes = 0;
    for (let next = this.queue[0]; next; next = this.queue[0]) {
      if (batch.length > 0 && bytes + next.bytes > this.maxRequestBytes) break;
      batch.push(next);
      bytes += next.bytes;
      this.queue.shift();
    }
    return batch;
  }

  private async flight(batch: readonly PendingSend[]): Promise<void> {
    const [only] = batch;
    if (batch.length === 1 && only) {
      await this.sendAlone(only);
      return;
    }
    let results: RecordMetadata[];
    try {
      results = await this.sendRequest(batch.flatMap((p) => p.records));
    } catch {
      // Which send holds the record the broker refused is unknown: each on its own, so only that one fails.
      for (const pending of batch) await this.sendAlone(pending);
      return;
    }
    let at = 0;
    for (const pending of batch) {
      pending.resolve(results.slice(at, at + pending.records.length));
      at += pending.records.length;
    }
  }

  private async sendAlone(pending: PendingSend): Promise<void> {
    try {
      pending.resolve(await this.sendRequest(pending.records));
    } catch (error) {
      pending.reject(error);
    }
  }
}

/** About the bytes a record takes in a request: key, value and headers. */
function sizeOf(records: readonly OutgoingRecord[]): number {
  let bytes = 0;
  for (const record of records) {
    bytes += 70 + (record.value?.length ?? 0) + (record.key?.length ?? 0);
    for (const [name, value] of Object.entries(record.headers ?? {})) bytes += name.length + value.length;
  }
  return bytes;
}
