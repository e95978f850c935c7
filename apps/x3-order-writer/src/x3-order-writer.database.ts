import type { TypeOrmModuleAsyncOptions } from '@nestjs/typeorm';
import { createLogger } from '@pardot-x3/observability';
import { createDataSource, runMigrations } from '@pardot-x3/persistence';
import { GoldenCustomerCopyEntity } from './customer-directory/golden-customer-copy.entity.js';
import { ProspectLinkEntity } from './customer-directory/prospect-link.entity.js';
import { X3OrderWriterProspectLinks1765130000000 } from './database/x3-order-writer-prospect-links.migration.js';
import { X3OrderWriterTables1764400000000 } from './database/x3-order-writer-tables.migration.js';
import { EngagementWrittenEntity } from './engagement-score-write/engagement-written.entity.js';
import { EngagementActivityEntity } from './engagement-scoring/engagement-activity.entity.js';
import { EngagementScoreEntity } from './engagement-scoring/engagement-score.entity.js';
import { OrderOutcomeEntity } from './order-creation/order-outcome.entity.js';
import { X3CustomerLinkEntity } from './order-creation/x3-customer-link.entity.js';
import type { X3OrderWriterConfig } from './x3-order-writer.config.js';

/**
 * x3-order-writer's tables (entity classes) and their migrations, oldest first. Each use case adds its
 * own line; `./pardot-x3 db migrate` reads this list from the built file.
 */
export const x3OrderWriterDatabase = {
  entities: [
    GoldenCustomerCopyEntity,
    X3CustomerLinkEntity,
    OrderOutcomeEntity,
    EngagementActivityEntity,
    EngagementScoreEntity,
    EngagementWrittenEntity,
    ProspectLinkEntity,
  ],
  migrations: [X3OrderWriterTables1764400000000, X3OrderWriterProspectLinks1765130000000],
};

/** The data source of the service, migrated at boot (under an advisory lock) before anything uses it. */
export function x3OrderWriterDataSource(config: X3OrderWriterConfig): TypeOrmModuleAsyncOptions {
  return {
    useFactory: () => ({ type: 'postgres', retryAttempts: 0 }),
    dataSourceFactory: async () => {
      const logger = createLogger({ service: 'x3-order-writer', level: config.LOG_LEVEL });
      const dataSource = createDataSource({
        url: config.DATABASE_URL,
        poolSize: config.DATABASE_POOL_SIZE,
        applicationName: 'x3-order-writer',
        entities: x3OrderWriterDatabase.entities,
        migrations: x3OrderWriterDatabase.migrations,
        logger,
      });
      await runMigrations(dataSource, logger);
      return dataSource;
    },
  };
}
