/**
 * Where a change poller reads from, and how far its watermark may move, so that nothing is missed
 * across restarts or clock skew:
 *
 * - the watermark is the newest change time **the source reported** (never our clock), persisted
 *   after the changes up to it are durable in Kafka;
 * - each poll re-reads `overlap` before the watermark, for changes committed late with an earlier
 *   time stamp (long transactions, clocks of several application servers);
 * - records read twice are recognised by their version and published once.
 */
export interface PollWindowPolicy {
  /** How far before the watermark each poll starts again (ms). */
  readonly overlapMs: number;
  /** Where the very first poll starts, before now (ms); 0 = only changes from now on. */
  readonly initialLookbackMs: number;
}

/** The lower bound (inclusive) of the next poll. */
export function pollWindowStart(watermark: number | undefined, policy: PollWindowPolicy, now: number): Date {
  if (watermark === undefined) return new Date(now - policy.initialLookbackMs);
  return new Date(watermark - policy.overlapMs);
}

/**
 * The watermark after a poll: the newest change time seen (from the source's own clock), never
 * earlier than before. A poll that saw nothing keeps the watermark where it was.
 */
export function advanceWatermark(
  watermark: number | undefined,
  seenChangeTimes: Iterable<number>,
): number | undefined {
  let next = watermark;
  for (const time of seenChangeTimes) if (next === undefined || time > next) next = time;
  return next;
}

/**
 * How long a poller of a source with whole-second change times and no version counter (Salesforce
 * `SystemModstamp`, Pardot `updatedAt`) leaves the newest changes alone; see {@link settledPollEnd}.
 */
export const WHOLE_SECOND_SETTLE_MS = 2_000;

/**
 * The upper bound (exclusive) of such a poll: the start of the second `settleMs` ago. A record read
 * while its second is still running could change again within that second under the same time stamp,
 * and the next read would look like the version already published — its last values lost. Records of
 * the seconds left out are read by the next poll (the window start does not move past them).
 */
export function settledPollEnd(now: number, settleMs: number = WHOLE_SECOND_SETTLE_MS): Date {
  return new Date(Math.floor((now - settleMs) / 1_000) * 1_000);
}
