import type { SandboxSystem } from '../sandbox.types.js';
import { compileRouteGlob, type RouteGlob } from '../faults/route-glob.util.js';
import type { LedgerEntry, LedgerEntryInput, LedgerQuery } from './ledger.types.js';

export const DEFAULT_LEDGER_CAPACITY = 100_000;

/**
 * Every write a sandbox received (and every request a fault touched), in arrival order, for tests and
 * the demo. Kept in memory; beyond `capacity` the oldest entries are dropped and counted.
 */
export class WriteLedger {
  private entries: LedgerEntry[] = [];
  private nextSeq = 1;
  private droppedCount = 0;

  constructor(
    readonly system: SandboxSystem,
    private readonly capacity = DEFAULT_LEDGER_CAPACITY,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`ledger capacity must be a positive integer, got ${capacity}`);
  }

  record(input: LedgerEntryInput): LedgerEntry {
    const entry: LedgerEntry = {
      ...input,
      seq: this.nextSeq++,
      at: input.at ?? new Date().toISOString(),
      system: this.system,
    };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) {
      const excess = this.entries.length - this.capacity;
      this.entries.splice(0, excess);
      this.droppedCount += excess;
    }
    return entry;
  }

  list(query: LedgerQuery = {}): LedgerEntry[] {
    const glob = query.route ? compileRouteGlob(query.route) : undefined;
    const method = query.method?.toUpperCase();
    const out: LedgerEntry[] = [];
    for (const e of this.entries) {
      if (query.since !== undefined && e.seq <= query.since) continue;
      if (method && e.method !== method) continue;
      if (glob && !glob.matches(e.method, e.path) && !matchesRoute(glob, e.route)) continue;
      out.push(e);
      if (query.limit !== undefined && out.length >= query.limit) break;
    }
    return out;
  }

  /** The seq of the newest entry (0 when none was ever recorded). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Entries dropped because the ledger was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Forgets every entry; seq numbers keep increasing so a reader's `since` stays valid. */
  clear(): number {
    const removed = this.entries.length;
    this.entries = [];
    return removed;
  }
}

/** Matches the glob against the route pattern part of "METHOD /pattern". */
function matchesRoute(glob: RouteGlob, route: string): boolean {
  const space = route.indexOf(' ');
  return space > 0 && glob.matches(route.slice(0, space), route.slice(space + 1));
}
