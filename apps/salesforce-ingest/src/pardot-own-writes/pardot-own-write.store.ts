import { Injectable } from '@nestjs/common';
import { queryPrepared } from '@pardot-x3/persistence';
import { DataSource, type EntityManager } from 'typeorm';

/** The `updatedAt` of pardot-writer's last write per prospect (`salesforce_ingest_pardot_own_write`). */
@Injectable()
export class PardotOwnWriteStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Several writes (a batch, in offset order) in one statement: the latest `updatedAt` per prospect. */
  async recordAll(
    manager: EntityManager,
    writes: readonly { readonly prospectId: string; readonly updatedAt: Date; readonly goldenId: string }[],
  ): Promise<void> {
    const latest = new Map<string, { updatedAt: Date; goldenId: string }>();
    for (const write of writes) {
      const known = latest.get(write.prospectId);
      if (!known || known.updatedAt < write.updatedAt) latest.set(write.prospectId, write);
    }
    if (latest.size === 0) return;
    await queryPrepared(
      manager,
      `INSERT INTO salesforce_ingest_pardot_own_write (prospect_id, updated_at, golden_id)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[])
       ON CONFLICT (prospect_id) DO UPDATE SET updated_at = excluded.updated_at, golden_id = excluded.golden_id
         WHERE salesforce_ingest_pardot_own_write.updated_at < excluded.updated_at`,
      [
        [...latest.keys()],
        [...latest.values()].map((w) => w.updatedAt),
        [...latest.values()].map((w) => w.goldenId),
      ],
    );
  }

  /** Prospect id → updatedAt of our last write, for these prospects. */
  async lastWrites(prospectIds: readonly string[]): Promise<Map<string, number>> {
    if (prospectIds.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      'SELECT prospect_id, updated_at FROM salesforce_ingest_pardot_own_write WHERE prospect_id = ANY($1::text[])',
      [prospectIds],
    )) as { prospect_id: string; updated_at: Date }[];
    return new Map(rows.map((row) => [row.prospect_id, row.updated_at.getTime()]));
  }
}
