import { createDataSource, runMigrations } from '@pardot-x3/persistence';
import { createTestDatabase } from '@pardot-x3/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dbCommand, distinctMigrations, loadServiceMigrations, migrateDatabase } from './db.command.js';

/** Runs `db migrate` in this process with the given environment: what it printed and the exit code. */
async function dbMigrate(
  env: Record<string, string | undefined>,
  ...args: string[]
): Promise<{ out: string; err: string; exitCode: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...p: unknown[]) => void out.push(p.join(' ')));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...p: unknown[]) => void err.push(p.join(' ')));
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key];
  process.exitCode = undefined;
  try {
    await dbCommand()
      .exitOverride()
      .parseAsync(['migrate', ...args], { from: 'user' });
  } finally {
    process.env = saved;
    log.mockRestore();
    error.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { out: out.join('\n'), err: err.join('\n'), exitCode };
}

async function tables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

/**
 * `./pardot-x3 db migrate` (the Helm chart's migration Job) on a real PostgreSQL, from the built
 * services (`./pardot-x3 test` builds them first).
 */
describe('db migrate', () => {
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase('db-migrate');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("creates every service's tables in an empty database, and applies nothing the second time", async () => {
    const services = await loadServiceMigrations();
    const expected = [
      'CreateProcessedEventTable1764172800000',
      ...distinctMigrations(services).map((m) => m.name),
    ];

    const first = await dbMigrate({ DATABASE_URL: database.url }, '--json');
    expect(first.exitCode).toBe(0);
    const result = JSON.parse(first.out) as { services: string[]; applied: string[] };
    expect(result.services).toEqual([
      'salesforce-ingest',
      'x3-ingest',
      'mdm',
      'pardot-writer',
      'x3-order-writer',
    ]);
    expect([...result.applied].sort()).toEqual([...new Set(expected)].sort());
    expect(await tables(database.url)).toEqual(
      expect.arrayContaining([
        'px3_migrations',
        'px3_processed_event',
        'salesforce_ingest_order_confirmation',
        'x3_ingest_record_version',
        'mdm_golden_customer',
        'pardot_writer_stock_state',
        'x3_order_writer_order',
      ]),
    );

    const second = await dbMigrate({ DATABASE_URL: database.url });
    expect(second).toMatchObject({ exitCode: 0 });
    expect(second.out).toMatch(/is up to date/);
  });

  it('leaves nothing for a service to apply at boot (same bookkeeping table)', async () => {
    for (const { service, migrations } of await loadServiceMigrations()) {
      const dataSource = createDataSource({ url: database.url, poolSize: 2, migrations });
      try {
        expect({ service, applied: await runMigrations(dataSource) }).toEqual({ service, applied: [] });
      } finally {
        if (dataSource.isInitialized) await dataSource.destroy();
      }
    }
  });

  it('migrates only the services named', async () => {
    const other = await createTestDatabase('db-migrate-one');
    try {
      const result = await migrateDatabase({ databaseUrl: other.url, services: ['x3-order-writer'] });
      expect(result).toEqual({
        services: ['x3-order-writer'],
        applied: [
          'CreateProcessedEventTable1764172800000',
          'X3OrderWriterTables1764400000000',
          'X3OrderWriterProspectLinks1765130000000',
        ],
      });
      const names = await tables(other.url);
      expect(names).toContain('x3_order_writer_customer');
      expect(names).not.toContain('mdm_golden_customer');
    } finally {
      await other.drop();
    }
  });

  it('names a missing DATABASE_URL (exit code 78) and an unknown service (exit code 64)', async () => {
    const missing = await dbMigrate({ DATABASE_URL: undefined });
    expect(missing.exitCode).toBe(78);
    expect(missing.err).toMatch(/DATABASE_URL is required/);

    const unknown = await dbMigrate({ DATABASE_URL: database.url }, '--service', 'mdm,billing');
    expect(unknown.exitCode).toBe(64);
    expect(unknown.err).toMatch(/unknown service\(s\): billing/);
  });
});
