import type { TypeOrmModuleAsyncOptions } from '@nestjs/typeorm';
import { createLogger } from '@pardot-x3/observability';
import { PARDOT_CONNECTOR_MIGRATIONS } from '@pardot-x3/pardot-connector';
import { createDataSource, runMigrations } from '@pardot-x3/persistence';
import { GoldenContactEntity } from './customer-directory/golden-contact.entity.js';
import { CustomerWriteStateEntity } from './customer-writes/customer-write-state.entity.js';
import { PendingCustomerWriteEntity } from './customer-writes/pending-customer-write.entity.js';
import { CustomerWriteCoalescing1765300000000 } from './database/customer-write-coalescing.migration.js';
import { CustomerWriteSourceMessage1765100000000 } from './database/customer-write-source-message.migration.js';
import { CustomerWritesTables1764360200000 } from './database/customer-writes-tables.migration.js';
import { ErpActivityInDoubt1765310000000 } from './database/erp-activity-in-doubt.migration.js';
import { OrderActivityStockTables1764400100000 } from './database/order-activity-stock-tables.migration.js';
import { ErpActivitySentEntity } from './erp-activities/erp-activity-sent.entity.js';
import { OrderOutcomeWrittenEntity } from './order-confirmations/order-outcome-written.entity.js';
import type { PardotWriterConfig } from './pardot-writer.config.js';
import { StockPublicationEntity } from './stock-subscription/stock-publication.entity.js';
import { StockSubscriptionStateEntity } from './stock-subscription/stock-subscription-state.entity.js';

/**
 * pardot-writer's tables (entity classes) and their migrations, oldest first, with the Pardot
 * connector's (the shared rate limiter). Each use case adds its own line; `./pardot-x3 db migrate`
 * reads this list from the built file.
 */
export const pardotWriterDatabase = {
  entities: [
    PendingCustomerWriteEntity,
    CustomerWriteStateEntity,
    OrderOutcomeWrittenEntity,
    GoldenContactEntity,
    ErpActivitySentEntity,
    StockSubscriptionStateEntity,
    StockPublicationEntity,
  ],
  migrations: [
    ...PARDOT_CONNECTOR_MIGRATIONS,
    CustomerWritesTables1764360200000,
    OrderActivityStockTables1764400100000,
    CustomerWriteSourceMessage1765100000000,
    CustomerWriteCoalescing1765300000000,
    ErpActivityInDoubt1765310000000,
  ],
};

/** The data source of the service, migrated at boot (under an advisory lock) before anything uses it. */
export function pardotWriterDataSource(config: PardotWriterConfig): TypeOrmModuleAsyncOptions {
  return {
    useFactory: () => ({ type: 'postgres', retryAttempts: 0 }),
    dataSourceFactory: async () => {
      const logger = createLogger({ service: 'pardot-writer', level: config.LOG_LEVEL });
      const dataSource = createDataSource({
        url: config.DATABASE_URL,
        poolSize: config.DATABASE_POOL_SIZE,
        applicationName: 'pardot-writer',
        entities: pardotWriterDatabase.entities,
        migrations: pardotWriterDatabase.migrations,
        logger,
      });
      await runMigrations(dataSource, logger);
      return dataSource;
    },
  };
}
