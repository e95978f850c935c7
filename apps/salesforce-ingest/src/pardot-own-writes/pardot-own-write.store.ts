import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** The `updatedAt` of pardot-writer's last write per prospect (`salesforce_ingest_pardot_own_write`). */
@Injectable()
export class PardotOwnWriteStore {
  constructor(private readonly dataSource: DataSource) {}

  async record(manager: EntityManager, prospectId: string, updatedAt: Date, goldenId: string): Promise<void> {
    await manager.query(
      `INSERT INTO salesforce_ingest_pardot_own_write (prospect_id, updated_at, golden_id) VALUES ($1, $2, $3)
       ON CONFLICT (prospect_id) DO UPDATE SET updated_at = excluded.updated_at, golden_id = excluded.golden_id
         WHERE salesforce_ingest_pardot_own_write.updated_at < excluded.updated_at`,
      [prospectId, updatedAt, goldenId],
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
