import { Injectable } from '@nestjs/common';
import type { SourceRecordChanged } from '@pardot-x3/canonical';
import { DataSource } from 'typeorm';

/** Cache of published versions in front of the table (bounded; the table is the truth). */
const CACHE_LIMIT = 50_000;

/**
 * The newest version (source change time) published of each polled record, so overlapping polls
 * publish a version once. Batches: one statement to read, one to write.
 */
@Injectable()
export class RecordVersionStore {
  private readonly cache = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {}

  /** The changes newer than what was published of their record (one per record: the newest). */
  async unpublished(changes: readonly SourceRecordChanged[]): Promise<SourceRecordChanged[]> {
    const unknown = changes.filter((c) => !this.cache.has(keyOf(c)));
    if (unknown.length > 0) {
      const rows = (await this.dataSource.query(
        `SELECT system, entity, record_id, changed_at FROM salesforce_ingest_record_version
          WHERE (system, entity, record_id) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`,
        [unknown.map((c) => c.system), unknown.map((c) => c.entity), unknown.map((c) => c.recordId)],
      )) as { system: string; entity: string; record_id: string; changed_at: Date }[];
      for (const row of rows)
        this.remember(`${row.system}|${row.entity}|${row.record_id}`, row.changed_at.getTime());
    }
    const newest = new Map<string, SourceRecordChanged>();
    for (const change of changes) {
      const key = keyOf(change);
      const published = this.cache.get(key);
      if (published !== undefined && change.changedAt.getTime() <= published) continue;
      const other = newest.get(key);
      if (!other || other.changedAt < change.changedAt) newest.set(key, change);
    }
    return [...newest.values()];
  }

  async markPublished(changes: readonly SourceRecordChanged[]): Promise<void> {
    if (changes.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO salesforce_ingest_record_version (system, entity, record_id, changed_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
       ON CONFLICT (system, entity, record_id) DO UPDATE
         SET changed_at = excluded.changed_at, published_at = now()
         WHERE salesforce_ingest_record_version.changed_at < excluded.changed_at`,
      [
        changes.map((c) => c.system),
        changes.map((c) => c.entity),
        changes.map((c) => c.recordId),
        changes.map((c) => c.changedAt.toISOString()),
      ],
    );
    for (const change of changes) {
      const key = keyOf(change);
      if ((this.cache.get(key) ?? -Infinity) < change.changedAt.getTime())
        this.remember(key, change.changedAt.getTime());
    }
  }

  private remember(key: string, changedAt: number): void {
    this.cache.delete(key);
    this.cache.set(key, changedAt);
    if (this.cache.size > CACHE_LIMIT) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}

function keyOf(change: SourceRecordChanged): string {
  return `${change.system}|${change.entity}|${change.recordId}`;
}
