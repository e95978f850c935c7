import pg from 'pg';
import type { DatabaseConfig, HttpServerConfig } from '@pardot-x3/config';
import type { ReadinessCheck } from '../readiness-check.types.js';

/**
 * "PostgreSQL reachable": `SELECT 1` within READINESS_CHECK_TIMEOUT_MS, through a one-connection pool of its own, so a probe never waits
 * behind the service's busy pool and never takes a connection from it.
 */
export class PostgresReadinessCheck implements ReadinessCheck {
  readonly name = 'database';
  private readonly pool: pg.Pool;
  private readonly target: string;

  constructor(
    config: Pick<DatabaseConfig, 'DATABASE_URL'> &
      Partial<Pick<HttpServerConfig, 'READINESS_CHECK_TIMEOUT_MS'>>,
  ) {
    const timeoutMs = config.READINESS_CHECK_TIMEOUT_MS ?? 2_000;
    this.target = describeTarget(config.DATABASE_URL);
    this.pool = new pg.Pool({
      connectionString: config.DATABASE_URL,
      max: 1,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      idleTimeoutMillis: 60_000,
      application_name: 'pardot-x3-readiness',
    });
    // An idle connection that breaks (server restart) is reported by the next probe, not a crash.
    this.pool.on('error', () => undefined);
  }

  async check(): Promise<void> {
    try {
      await this.pool.query('SELECT 1');
    } catch (error) {
      throw new Error(
        `PostgreSQL at ${this.target} is not reachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** host:port/database, never the user or password. */
function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}
