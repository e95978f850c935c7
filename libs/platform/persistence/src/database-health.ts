import type { DataSource } from 'typeorm';

export interface DatabaseHealth {
  readonly healthy: boolean;
  /** Why not, without secrets. */
  readonly detail?: string;
}

/** Asks PostgreSQL for `SELECT 1` within `timeoutMs`: the readiness check of services with a database. */
export async function checkDatabase(dataSource: DataSource, timeoutMs = 2_000): Promise<DatabaseHealth> {
  if (!dataSource.isInitialized) return { healthy: false, detail: 'the data source is not initialised' };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      dataSource.query('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { healthy: true };
  } catch (error) {
    return { healthy: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
