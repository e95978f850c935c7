import { createDataSource, runMigrations, type DataSource, type EntityManager } from '@pardot-x3/persistence';
import { createTestDatabase } from '@pardot-x3/testing';

/**
 * A fresh database with the inbox and an `effect` table: each applied event inserts one row, so tests
 * count effects per event id (exactly once = one row each).
 */
export interface EffectsDatabase {
  readonly url: string;
  readonly dataSource: DataSource;
  /** Records an effect inside the handler's transaction. */
  apply(manager: EntityManager, eventId: string, note: string): Promise<void>;
  /** Rows per event id. */
  counts(): Promise<Map<string, number>>;
  notes(): Promise<{ eventId: string; note: string }[]>;
  close(): Promise<void>;
}

export async function effectsDatabase(label: string): Promise<EffectsDatabase> {
  const database = await createTestDatabase(label);
  const dataSource = createDataSource({ url: database.url, poolSize: 5, applicationName: `test-${label}` });
  await runMigrations(dataSource);
  await dataSource.query(
    'CREATE TABLE effect (id bigserial PRIMARY KEY, event_id text NOT NULL, note text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  return {
    url: database.url,
    dataSource,
    apply: async (manager, eventId, note) => {
      await manager.query('INSERT INTO effect (event_id, note) VALUES ($1, $2)', [eventId, note]);
    },
    counts: async () => {
      const rows: { event_id: string; n: string }[] = await dataSource.query(
        'SELECT event_id, count(*) AS n FROM effect GROUP BY event_id',
      );
      return new Map(rows.map((r) => [r.event_id, Number(r.n)]));
    },
    notes: async () => {
      const rows: { event_id: string; note: string }[] = await dataSource.query(
        'SELECT event_id, note FROM effect ORDER BY id',
      );
      return rows.map((r) => ({ eventId: r.event_id, note: r.note }));
    },
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    },
  };
}
