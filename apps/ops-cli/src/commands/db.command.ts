import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigValidationError, databaseConfigSchema, loadConfig } from '@pardot-x3/config';
import { createLogger } from '@pardot-x3/observability';
import { createDataSource, runMigrations } from '@pardot-x3/persistence';
import { Command } from 'commander';
import type { MigrationInterface } from 'typeorm';
import { printJson } from './messaging-cli.util.js';

type MigrationClass = new () => MigrationInterface;

/**
 * The installation this command belongs to: four levels above this file, both in the sources
 * (apps/ops-cli/src/commands) and in the build (apps/ops-cli/dist/commands) — also in the container
 * image, which has no nx.json to find a repository root by.
 */
const INSTALLATION_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The pipeline services, in port order; those without tables have no database file. */
export const PIPELINE_SERVICES = [
  'salesforce-ingest',
  'x3-ingest',
  'transformer',
  'mdm',
  'pardot-writer',
  'x3-order-writer',
] as const;

export interface ServiceMigrations {
  readonly service: string;
  readonly migrations: readonly MigrationClass[];
}

export interface DatabaseMigrationResult {
  /** The services whose migrations were considered (those with tables). */
  readonly services: readonly string[];
  /** Names of the migrations applied now, oldest first (empty: the schema was up to date). */
  readonly applied: readonly string[];
}

/**
 * The migrations of each service, read from its build: apps/<service>/dist/<service>.database.js
 * exports `<camelCaseService>Database` (`{ entities, migrations }`), as the service migrates at boot.
 * A built service without that file has no tables (the transformer); a service not built is an error.
 */
export async function loadServiceMigrations(
  root: string = INSTALLATION_ROOT,
  services: readonly string[] = PIPELINE_SERVICES,
): Promise<ServiceMigrations[]> {
  const found: ServiceMigrations[] = [];
  for (const service of services) {
    const dist = join(root, 'apps', service, 'dist');
    const file = join(dist, `${service}.database.js`);
    if (!existsSync(file)) {
      if (existsSync(join(dist, 'main.js'))) continue;
      throw new Error(
        `apps/${service} is not built (${file} missing): build the services first (npx nx run-many -t build)`,
      );
    }
    const exportName = `${service.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Database`;
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const database = module[exportName];
    const migrations = (database as { migrations?: unknown } | undefined)?.migrations;
    if (!Array.isArray(migrations) || !migrations.every((m) => typeof m === 'function'))
      throw new Error(`${file} does not export ${exportName} with a list of migration classes`);
    found.push({ service, migrations: migrations as MigrationClass[] });
  }
  return found;
}

/**
 * Every migration once: a library's migrations (the Pardot rate limiter's) are listed by each service
 * that uses it, and TypeORM refuses a name listed twice.
 */
export function distinctMigrations(services: readonly ServiceMigrations[]): MigrationClass[] {
  const byName = new Map<string, MigrationClass>();
  for (const { migrations } of services)
    for (const migration of migrations)
      if (!byName.has(migration.name)) byName.set(migration.name, migration);
  return [...byName.values()];
}

/**
 * Applies the pending migrations of every service (and the inbox's) to one database, under the same
 * advisory lock the services take at boot, so it can run while services start. Idempotent.
 */
export async function migrateDatabase(options: {
  readonly root?: string;
  readonly databaseUrl: string;
  readonly services?: readonly string[];
}): Promise<DatabaseMigrationResult> {
  const loaded = await loadServiceMigrations(options.root, options.services);
  const logger = createLogger({ service: 'ops-cli', level: 'warn' });
  const dataSource = createDataSource({
    url: options.databaseUrl,
    // runMigrations holds the advisory lock on one connection while TypeORM migrates on another.
    poolSize: 2,
    applicationName: 'pardot-x3 db migrate',
    migrations: distinctMigrations(loaded),
    logger,
  });
  try {
    const applied = await runMigrations(dataSource, logger);
    return { services: loaded.map((s) => s.service), applied };
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

export function dbCommand(): Command {
  const db = new Command('db').description("the services' tables in the deployment's PostgreSQL database");

  db.command('migrate')
    .description(
      'apply the pending migrations of every service to DATABASE_URL (from the built apps; idempotent; services also migrate at boot)',
    )
    .option(
      '--service <names>',
      `only these services, comma-separated (default: all of ${PIPELINE_SERVICES.join(', ')})`,
    )
    .option('--json', 'print the result as JSON')
    .action(async (options: { service?: string; json?: boolean }) => {
      let databaseUrl: string;
      try {
        databaseUrl = loadConfig(
          'db migrate',
          databaseConfigSchema.pick({ DATABASE_URL: true }),
        ).DATABASE_URL;
      } catch (error) {
        if (error instanceof ConfigValidationError) {
          console.error(error.message);
          process.exitCode = 78;
          return;
        }
        throw error;
      }
      const services = options.service
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = services?.filter((s) => !(PIPELINE_SERVICES as readonly string[]).includes(s)) ?? [];
      if (unknown.length > 0) {
        console.error(`unknown service(s): ${unknown.join(', ')} (known: ${PIPELINE_SERVICES.join(', ')})`);
        process.exitCode = 64;
        return;
      }
      const result = await migrateDatabase({ databaseUrl, services });
      if (options.json) printJson(result);
      else
        console.log(
          result.applied.length > 0
            ? `applied ${result.applied.length} migration(s) of ${result.services.join(', ')}:\n  ${result.applied.join('\n  ')}`
            : `the database schema of ${result.services.join(', ')} is up to date`,
        );
    });

  return db;
}
