import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@pardot-x3/observability';

/** Offsets of one partition that were being handled (first to last, inclusive). */
interface OffsetRange {
  readonly from: bigint;
  readonly to: bigint;
}

/** A range in hand now: since when, and whether it has been in hand longer than a poison pill lives. */
interface InFlight extends OffsetRange {
  readonly since: number;
  slow: boolean;
}

/** A range the process died in, and how many times in a row it did. */
interface Suspect extends OffsetRange {
  readonly exits: number;
}

interface MarkerFile {
  readonly topic: string;
  readonly partition: number;
  readonly inFlight?: { readonly from: string; readonly to: string; readonly slow?: boolean };
  readonly suspect?: { readonly from: string; readonly to: string; readonly exits: number };
}

/** How many process exits while one message was in hand make it a poison pill. */
export const POISON_PILL_EXITS = 3;

/**
 * A poison pill ends the process soon after its handling starts, every time. An exit that comes later
 * — a message held up by a broker or database outage when a kill or a node failure happens — says
 * nothing about the message: it is not counted, and the count starts again.
 */
export const POISON_PILL_QUICK_EXIT_MS = 10_000;

/**
 * Poison-pill detection across process exits. Before a partition's messages are handled the runner
 * marks their offsets as in flight (a small file per partition, written synchronously); when they are
 * done the mark goes. A mark found at start means the process ended while handling those offsets (a
 * crash, an OOM kill, an exit in a library): the range becomes a suspect, handled one message at a time
 * from then on so the exact message is known; a single message the process died on
 * {@link POISON_PILL_EXITS} times in a row is dead-lettered instead of handled again — no crash loop.
 *
 * The marks live in `dir` (PX3_STATE_DIR): per process instance, kept across restarts of that instance
 * (in Kubernetes an emptyDir, which survives container restarts in a pod). A graceful stop clears them.
 */
export class PoisonPillGuard {
  private readonly suspects = new Map<string, Suspect>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly slowCheck: NodeJS.Timeout;

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
    private readonly quickExitMs = POISON_PILL_QUICK_EXIT_MS,
  ) {
    // Marks what has been in hand too long to be a poison pill, so an exit then is not held against it.
    this.slowCheck = setInterval(() => this.markSlow(), Math.max(100, Math.min(1_000, quickExitMs / 4)));
    this.slowCheck.unref();
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.json')) continue;
      try {
        const marker = JSON.parse(readFileSync(join(dir, name), 'utf8')) as MarkerFile;
        const key = partitionKey(marker.topic, marker.partition);
        const previous = marker.suspect
          ? { from: BigInt(marker.suspect.from), to: BigInt(marker.suspect.to), exits: marker.suspect.exits }
          : undefined;
        if (marker.inFlight?.slow) {
          // The process ended long after this work started: not the message's doing.
          this.logger.info(
            {
              topic: marker.topic,
              partition: marker.partition,
              from: marker.inFlight.from,
              to: marker.inFlight.to,
            },
            'the process ended while these messages had been in hand a long time; not counted against them',
          );
        } else if (marker.inFlight) {
          const range = { from: BigInt(marker.inFlight.from), to: BigInt(marker.inFlight.to) };
          const repeated = previous && range.from >= previous.from && range.to <= previous.to;
          const suspect = { ...range, exits: (repeated ? previous.exits : 0) + 1 };
          this.suspects.set(key, suspect);
          this.logger.warn(
            {
              topic: marker.topic,
              partition: marker.partition,
              from: String(range.from),
              to: String(range.to),
              exits: suspect.exits,
            },
            'the process ended while handling these messages; they are handled one at a time now',
          );
        } else if (previous) this.suspects.set(key, previous);
        this.write(marker.topic, marker.partition);
      } catch (error) {
        this.logger.warn({ err: error, file: name }, 'unreadable in-flight marker ignored');
      }
    }
  }

  /** True when some of these offsets are suspects: handle them one by one. */
  isSuspect(topic: string, partition: number, from: string, to: string): boolean {
    const suspect = this.suspects.get(partitionKey(topic, partition));
    return suspect !== undefined && BigInt(from) <= suspect.to && BigInt(to) >= suspect.from;
  }

  /** The process died on this very message POISON_PILL_EXITS times in a row: how many, else undefined. */
  poisonExits(topic: string, partition: number, offset: string): number | undefined {
    const suspect = this.suspects.get(partitionKey(topic, partition));
    const at = BigInt(offset);
    if (!suspect || suspect.from !== at || suspect.to !== at) return undefined;
    return suspect.exits >= POISON_PILL_EXITS ? suspect.exits : undefined;
  }

  /** Marks offsets `from`..`to` of a partition as being handled now. */
  mark(topic: string, partition: number, from: string, to: string): void {
    this.inFlight.set(partitionKey(topic, partition), {
      from: BigInt(from),
      to: BigInt(to),
      since: Date.now(),
      slow: false,
    });
    this.write(topic, partition);
  }

  /** The message in hand failed and waits before its next attempt: an exit now is not its doing. */
  waiting(topic: string, partition: number): void {
    const range = this.inFlight.get(partitionKey(topic, partition));
    if (!range || range.slow) return;
    range.slow = true;
    this.write(topic, partition);
  }

  /** The next attempt at the message in hand starts: an exit soon after counts again. */
  working(topic: string, partition: number): void {
    const range = this.inFlight.get(partitionKey(topic, partition));
    if (!range) return;
    this.inFlight.set(partitionKey(topic, partition), { ...range, since: Date.now(), slow: false });
    this.write(topic, partition);
  }

  /** The partition's messages before `nextOffset` are done: no longer in flight, no longer suspect. */
  done(topic: string, partition: number, nextOffset: string): void {
    const key = partitionKey(topic, partition);
    const suspect = this.suspects.get(key);
    const hadMark = this.inFlight.delete(key);
    const cleared = suspect !== undefined && BigInt(nextOffset) > suspect.to;
    if (cleared) this.suspects.delete(key);
    if (hadMark || cleared) this.write(topic, partition);
  }

  /** A graceful stop: nothing is in flight. */
  clear(): void {
    clearInterval(this.slowCheck);
    for (const key of [...this.inFlight.keys()]) {
      this.inFlight.delete(key);
      const [topic, partition] = splitKey(key);
      this.write(topic, partition);
    }
  }

  private markSlow(): void {
    const now = Date.now();
    for (const [key, range] of this.inFlight) {
      if (range.slow || now - range.since < this.quickExitMs) continue;
      range.slow = true;
      const [topic, partition] = splitKey(key);
      this.write(topic, partition);
    }
  }

  private write(topic: string, partition: number): void {
    const key = partitionKey(topic, partition);
    const file = join(this.dir, `${key}.json`);
    const inFlight = this.inFlight.get(key);
    const suspect = this.suspects.get(key);
    try {
      if (!inFlight && !suspect) {
        rmSync(file, { force: true });
        return;
      }
      const marker: MarkerFile = {
        topic,
        partition,
        inFlight: inFlight
          ? { from: String(inFlight.from), to: String(inFlight.to), slow: inFlight.slow }
          : undefined,
        suspect: suspect
          ? { from: String(suspect.from), to: String(suspect.to), exits: suspect.exits }
          : undefined,
      };
      writeFileSync(`${file}.tmp`, JSON.stringify(marker));
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      this.logger.warn(
        { err: error, file },
        'cannot write the in-flight marker; poison-pill detection is off for it',
      );
    }
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${topic.replace(/[^A-Za-z0-9._-]/g, '_')}~${partition}`;
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf('~');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}
