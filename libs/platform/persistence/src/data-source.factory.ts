import type { Logger } from '@pardot-x3/observability';
import { DataSource, type MigrationInterface, type MixedList } from 'typeorm';
import { CreateProcessedEventTable1764172800000 } from './inbox/create-processed-event-table.migration.js';
import { ProcessedEventEntity } from './inbox/processed-event.entity.js';
import { TypeOrmPinoLogger } from './typeorm-pino.logger.js';

// TypeORM's entity and migration lists accept classes; ESM builds cannot rely on its globs.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type EntityClass = Function;
type MigrationClass = new () => MigrationInterface;

export interface DataSourceOptions {
  /** PostgreSQL connection URL (DATABASE_URL); a secret, never logged. */
  readonly url: string;
  /** The service's own entity classes; the inbox entity is always added. */
  readonly entities?: readonly EntityClass[];
  /** The service's own migration classes, oldest first; the inbox migration is always added (first). */
  readonly migrations?: readonly MigrationClass[];
  /** Connections in the pool (DATABASE_POOL_SIZE), default 10. */
  readonly poolSize?: number;
  /** Shown in pg_stat_activity, e.g. the service name. */
  readonly applicationName?: string;
  /** Receives failed and slow queries and migration progress. */
  readonly logger?: Logger;
  /** Queries slower than this are logged as warnings (default 2000 ms). */
  readonly slowQueryMs?: number;
}

/** The migration classes of this library, for services and tools that list migrations themselves. */
export const PERSISTENCE_MIGRATIONS: readonly MigrationClass[] = [CreateProcessedEventTable1764172800000];
/** The entity classes of this library. */
export const PERSISTENCE_ENTITIES: readonly EntityClass[] = [ProcessedEventEntity];

/** Name of TypeORM's migration bookkeeping table. */
export const MIGRATIONS_TABLE = 'px3_migrations';

/**
 * A TypeORM DataSource for PostgreSQL (not yet initialised): the service's entities and migrations
 * plus this library's (the processed-event inbox). Schema changes happen through migrations only
 * (`synchronize` is off); run them with {@link runMigrations}.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    applicationName: options.applicationName,
    poolSize: options.poolSize ?? 10,
    entities: [...PERSISTENCE_ENTITIES, ...(options.entities ?? [])] as MixedList<EntityClass>,
    migrations: [...PERSISTENCE_MIGRATIONS, ...(options.migrations ?? [])] as MixedList<MigrationClass>,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    maxQueryExecutionTime: options.slowQueryMs ?? 2_000,
    logging: ['error', 'warn', 'migration'],
    logger: options.logger ? new TypeOrmPinoLogger(options.logger) : undefined,
  });
}
