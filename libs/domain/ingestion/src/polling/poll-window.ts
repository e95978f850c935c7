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
