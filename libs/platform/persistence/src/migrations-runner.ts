import type { Logger } from '@pardot-x3/observability';
import type { DataSource } from 'typeorm';

/** Names the advisory lock that serialises migrations of every replica (hashed by PostgreSQL). */
const MIGRATION_LOCK = 'pardot-x3.migrations';

/**
 * Runs the pending migrations, each in its own transaction, while holding a PostgreSQL advisory lock,
 * so replicas starting together migrate one after the other instead of racing. Initialises the data
 * source if needed. Returns the names of the migrations applied.
 */
export async function runMigrations(dataSource: DataSource, logger?: Logger): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      const names = applied.map((m) => m.name);
      logger?.info(
        { migrations: names },
        names.length > 0 ? `applied ${names.length} database migration(s)` : 'database schema is up to date',
      );
      return names;
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
