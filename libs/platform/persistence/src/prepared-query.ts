import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** The part of node-postgres's client this helper uses. */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const statementNames = new Map<string, string>();

/** A stable name per statement text: `px3_` and 20 hex digits of its SHA-1. */
export function preparedStatementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `px3_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Runs a hot-path statement as a named prepared statement on the connection of the transaction
 * `manager` belongs to: PostgreSQL parses and plans it once per connection instead of once per call
 * (planning was a large share of a batch's statements under load). The text must be fixed — a
 * statement whose text varies with the input (a VALUES list of n rows) would prepare a statement per
 * n: pass arrays and `unnest` them instead. Outside a transaction (no connection held) it runs as an
 * ordinary query. Errors are node-postgres's `DatabaseError` (with the SQLSTATE `code`), which the
 * failure policy classifies like TypeORM's `QueryFailedError`.
 */
export async function queryPrepared<T>(
  manager: EntityManager,
  text: string,
  values: readonly unknown[],
): Promise<T[]> {
  const runner = manager.queryRunner;
  const connection: unknown =
    runner && !runner.isReleased
      ? (runner as { databaseConnection?: unknown }).databaseConnection
      : undefined;
  if (!isPgClient(connection)) return (await manager.query(text, [...values])) as T[];
  const result = await connection.query({ name: preparedStatementName(text), text, values: [...values] });
  return result.rows as T[];
}

function isPgClient(value: unknown): value is PgClient {
  return typeof value === 'object' && value !== null && typeof (value as PgClient).query === 'function';
}
