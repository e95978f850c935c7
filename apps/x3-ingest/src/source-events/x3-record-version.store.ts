import { Injectable } from '@nestjs/common';
import { isNewerSourceVersion, type SourceVersion } from '@pardot-x3/ingestion';
import { DataSource } from 'typeorm';

interface VersionRow {
  class_name: string;
  record_id: string;
  sequence: string | null;
  changed_at: Date;
}

/** A record of one X3 class and the version of it a caller holds. */
export interface VersionedRecord {
  readonly className: string;
  readonly recordId: string;
  readonly version: SourceVersion;
}

/** Cache of published versions, in front of `x3_ingest_record_version` (bounded; the table is the truth). */
const CACHE_LIMIT = 50_000;

/**
 * Remembers the newest version of each X3 record already published, so a webhook and a poll of the
 * same change, or overlapping polls, publish it once. Read and written in batches (one statement per
 * batch of records).
 */
@Injectable()
export class X3RecordVersionStore {
  private readonly cache = new Map<string, SourceVersion>();

  constructor(private readonly dataSource: DataSource) {}

  /** The records whose version is newer than the one already published. */
  async unpublished<T extends VersionedRecord>(folder: string, records: readonly T[]): Promise<T[]> {
    const unknown = records.filter((r) => !this.cache.has(cacheKey(folder, r)));
    if (unknown.length > 0) {
      const rows: VersionRow[] = await this.dataSource.query(
        `SELECT class_name, record_id, sequence, changed_at FROM x3_ingest_record_version
          WHERE folder = $1 AND (class_name, record_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
        [folder, unknown.map((r) => r.className), unknown.map((r) => r.recordId)],
      );
      for (const row of rows)
        this.remember(`${folder}|${row.class_name}|${row.record_id}`, {
          changedAt: row.changed_at.getTime(),
          sequence: row.sequence === null ? undefined : Number(row.sequence),
        });
    }
    const newest = new Map<string, T>();
    for (const record of records) {
      const key = cacheKey(folder, record);
      if (!isNewerSourceVersion(record.version, this.cache.get(key))) continue;
      const other = newest.get(key);
      // Two versions of one record in a batch: the newer one is published.
      if (!other || isNewerSourceVersion(record.version, other.version)) newest.set(key, record);
    }
    return [...newest.values()];
  }

  /** Records the versions just published (never moving a record back to an older version). */
  async markPublished(folder: string, records: readonly VersionedRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO x3_ingest_record_version (folder, class_name, record_id, sequence, changed_at)
       SELECT $1, c, r, s, t FROM unnest($2::text[], $3::text[], $4::bigint[], $5::timestamptz[]) AS v(c, r, s, t)
       ON CONFLICT (folder, class_name, record_id) DO UPDATE
         SET sequence = excluded.sequence, changed_at = excluded.changed_at, published_at = now()
         WHERE x3_ingest_record_version.changed_at < excluded.changed_at
            OR coalesce(x3_ingest_record_version.sequence, -1) < coalesce(excluded.sequence, -1)`,
      [
        folder,
        records.map((r) => r.className),
        records.map((r) => r.recordId),
        records.map((r) => (r.version.sequence === undefined ? null : String(r.version.sequence))),
        records.map((r) => new Date(r.version.changedAt).toISOString()),
      ],
    );
    for (const record of records) {
      const key = cacheKey(folder, record);
      if (isNewerSourceVersion(record.version, this.cache.get(key))) this.remember(key, record.version);
    }
  }

  private remember(key: string, version: SourceVersion): void {
    this.cache.delete(key);
    this.cache.set(key, version);
    if (this.cache.size > CACHE_LIMIT) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}

function cacheKey(folder: string, record: VersionedRecord): string {
  return `${folder}|${record.className}|${record.recordId}`;
}
