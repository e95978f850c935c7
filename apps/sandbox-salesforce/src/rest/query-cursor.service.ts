import { SalesforceApiError } from '../errors/salesforce-api.error.js';
import { makeSalesforceId } from '../sobjects/salesforce-id.util.js';

export const DEFAULT_QUERY_BATCH_SIZE = 2000;
const CURSOR_IDLE_MS = 15 * 60_000;
const MAX_OPEN_CURSORS = 10;

interface Cursor {
  readonly id: string;
  readonly records: readonly Record<string, unknown>[];
  readonly totalSize: number;
  readonly batchSize: number;
  readonly apiVersion: string;
  lastUsed: number;
}

export interface QueryPage {
  readonly totalSize: number;
  readonly done: boolean;
  readonly nextRecordsUrl?: string;
  readonly records: readonly Record<string, unknown>[];
}

/**
 * Server-side query cursors: results beyond one batch (2,000 by default, `Sforce-Query-Options:
 * batchSize=` 200–2,000) are kept and read with `nextRecordsUrl` = `/services/data/vXX.X/query/<locator>-<offset>`.
 * Cursors idle for 15 minutes, or pushed out by more than 10 open ones, answer INVALID_QUERY_LOCATOR.
 */
export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();
  private counter = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  firstPage(
    records: readonly Record<string, unknown>[],
    totalSize: number,
    batchSize: number,
    apiVersion: string,
  ): QueryPage {
    if (records.length <= batchSize) return { totalSize, done: true, records };
    this.evictIdle();
    while (this.cursors.size >= MAX_OPEN_CURSORS) {
      const oldest = [...this.cursors.values()].sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (!oldest) break;
      this.cursors.delete(oldest.id);
    }
    const id = makeSalesforceId('01g', ++this.counter);
    this.cursors.set(id, { id, records, totalSize, batchSize, apiVersion, lastUsed: this.clock() });
    return this.page(id, 0);
  }

  /** The batch at a locator (`<cursor id>-<offset>`). */
  nextPage(locator: string): QueryPage {
    const m = /^([A-Za-z0-9]{15,18})-(\d+)$/.exec(locator);
    if (!m?.[1] || m[2] === undefined) throw invalidLocator();
    return this.page(m[1], Number(m[2]));
  }

  clear(): void {
    this.cursors.clear();
  }

  private page(id: string, offset: number): QueryPage {
    this.evictIdle();
    const cursor = this.cursors.get(id);
    if (!cursor || offset > cursor.records.length) throw invalidLocator();
    cursor.lastUsed = this.clock();
    const end = offset + cursor.batchSize;
    const records = cursor.records.slice(offset, end);
    if (end >= cursor.records.length) {
      return { totalSize: cursor.totalSize, done: true, records };
    }
    return {
      totalSize: cursor.totalSize,
      done: false,
      nextRecordsUrl: `/services/data/v${cursor.apiVersion}/query/${id}-${end}`,
      records,
    };
  }

  private evictIdle(): void {
    const cutoff = this.clock() - CURSOR_IDLE_MS;
    for (const cursor of [...this.cursors.values()])
      if (cursor.lastUsed < cutoff) this.cursors.delete(cursor.id);
  }
}

function invalidLocator(): SalesforceApiError {
  return new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
}
