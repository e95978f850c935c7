import type { TypeOrmModuleAsyncOptions } from '@nestjs/typeorm';
import { createLogger } from '@pardot-x3/observability';
import { createDataSource, runMigrations } from '@pardot-x3/persistence';
import { X3IngestTables1764360000000 } from './database/x3-ingest-tables.migration.js';
import { X3WebhookSignature1796688000000 } from './database/x3-webhook-signature.migration.js';
import { X3PollWatermarkEntity } from './x3-change-poll/x3-poll-watermark.entity.js';
import { X3RecordVersionEntity } from './source-events/x3-record-version.entity.js';
import { X3WebhookSignatureEntity } from './x3-webhook/x3-webhook-signature.entity.js';
import type { X3IngestConfig } from './x3-ingest.config.js';

/**
 * x3-ingest's tables (entity classes) and their migrations, oldest first. Each use case adds its own
 * line; `./pardot-x3 db migrate` reads this list from the built file.
 */
export const x3IngestDatabase = {
  entities: [X3RecordVersionEntity, X3PollWatermarkEntity, X3WebhookSignatureEntity],
  migrations: [X3IngestTables1764360000000, X3WebhookSignature1796688000000],
};

/** The data source of the service, migrated at boot (under an advisory lock) before anything uses it. */
export function x3IngestDataSource(config: X3IngestConfig): TypeOrmModuleAsyncOptions {
  return {
    useFactory: () => ({ type: 'postgres', retryAttempts: 0 }),
    dataSourceFactory: async () => {
      const logger = createLogger({ service: 'x3-ingest', level: config.LOG_LEVEL });
      const dataSource = createDataSource({
        url: config.DATABASE_URL,
        poolSize: config.DATABASE_POOL_SIZE,
        applicationName: 'x3-ingest',
        entities: x3IngestDatabase.entities,
        migrations: x3IngestDatabase.migrations,
        logger,
      });
      await runMigrations(dataSource, logger);
      return dataSource;
    },
  };
}
