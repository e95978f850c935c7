import type { TypeOrmModuleAsyncOptions } from '@nestjs/typeorm';
import { createLogger } from '@pardot-x3/observability';
import { PARDOT_CONNECTOR_MIGRATIONS } from '@pardot-x3/pardot-connector';
import { createDataSource, runMigrations } from '@pardot-x3/persistence';
import { OrderConfirmationTables1764400200000 } from './database/order-confirmation-tables.migration.js';
import { SalesforceIngestTables1764360300000 } from './database/salesforce-ingest-tables.migration.js';
import { OrderConfirmationEntity } from './order-confirmation/order-confirmation.entity.js';
import { PardotOwnWriteEntity } from './pardot-own-writes/pardot-own-write.entity.js';
import { ReplayPositionEntity } from './salesforce-cdc/replay-position.entity.js';
import { PollWatermarkEntity } from './source-events/poll-watermark.entity.js';
import { RecordVersionEntity } from './source-events/record-version.entity.js';
import type { SalesforceIngestConfig } from './salesforce-ingest.config.js';

/**
 * salesforce-ingest's tables (entity classes) and their migrations, oldest first, with the Pardot
 * connector's (the shared rate limiter). Each use case adds its own line; `./pardot-x3 db migrate`
 * reads this list from the built file.
 */
export const salesforceIngestDatabase = {
  entities: [
    ReplayPositionEntity,
    PollWatermarkEntity,
    RecordVersionEntity,
    PardotOwnWriteEntity,
    OrderConfirmationEntity,
  ],
  migrations: [
    ...PARDOT_CONNECTOR_MIGRATIONS,
    SalesforceIngestTables1764360300000,
    OrderConfirmationTables1764400200000,
  ],
};

/** The data source of the service, migrated at boot (under an advisory lock) before anything uses it. */
export function salesforceIngestDataSource(config: SalesforceIngestConfig): TypeOrmModuleAsyncOptions {
  return {
    useFactory: () => ({ type: 'postgres', retryAttempts: 0 }),
    dataSourceFactory: async () => {
      const logger = createLogger({ service: 'salesforce-ingest', level: config.LOG_LEVEL });
      const dataSource = createDataSource({
        url: config.DATABASE_URL,
        poolSize: config.DATABASE_POOL_SIZE,
        applicationName: 'salesforce-ingest',
        entities: salesforceIngestDatabase.entities,
        migrations: salesforceIngestDatabase.migrations,
        logger,
      });
      await runMigrations(dataSource, logger);
      return dataSource;
    },
  };
}
