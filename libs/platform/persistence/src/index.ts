export {
  createDataSource,
  MIGRATIONS_TABLE,
  PERSISTENCE_ENTITIES,
  PERSISTENCE_MIGRATIONS,
  type DataSourceOptions,
} from './data-source.factory.js';
export { runMigrations } from './migrations-runner.js';
export { checkDatabase, type DatabaseHealth } from './database-health.js';
export { ProcessedEventEntity } from './inbox/processed-event.entity.js';
export { CreateProcessedEventTable1764172800000 } from './inbox/create-processed-event-table.migration.js';
export { ProcessedEventInbox, type InboxEntry } from './inbox/processed-event-inbox.js';
export { preparedStatementName, queryPrepared } from './prepared-query.js';
export { TypeOrmPinoLogger } from './typeorm-pino.logger.js';
// Re-exported so services type their handlers without importing typeorm for this alone.
export type { DataSource, EntityManager } from 'typeorm';
