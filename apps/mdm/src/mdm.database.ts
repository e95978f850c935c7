import type { TypeOrmModuleAsyncOptions } from '@nestjs/typeorm';
import { createLogger } from '@pardot-x3/observability';
import { createDataSource, runMigrations } from '@pardot-x3/persistence';
import { CustomerMatchKeyEntity } from './customer-mastering/customer-match-key.entity.js';
import { CustomerSourceRecordEntity } from './customer-mastering/customer-source-record.entity.js';
import { GoldenCustomerEntity } from './customer-mastering/golden-customer.entity.js';
import { CustomerFieldQuarantineEntity } from './data-quality/customer-field-quarantine.entity.js';
import { MdmCustomerMasterTables1764360100000 } from './database/mdm-customer-master-tables.migration.js';
import { MdmFieldQuarantineTable1796680000000 } from './database/mdm-field-quarantine-table.migration.js';
import type { MdmConfig } from './mdm.config.js';

/**
 * mdm's tables (entity classes) and their migrations, oldest first. Each use case adds its own line;
 * `./pardot-x3 db migrate` reads this list from the built file.
 */
export const mdmDatabase = {
  entities: [
    GoldenCustomerEntity,
    CustomerMatchKeyEntity,
    CustomerSourceRecordEntity,
    CustomerFieldQuarantineEntity,
  ],
  migrations: [MdmCustomerMasterTables1764360100000, MdmFieldQuarantineTable1796680000000],
};

/** The data source of the service, migrated at boot (under an advisory lock) before anything uses it. */
export function mdmDataSource(config: MdmConfig): TypeOrmModuleAsyncOptions {
  return {
    useFactory: () => ({ type: 'postgres', retryAttempts: 0 }),
    dataSourceFactory: async () => {
      const logger = createLogger({ service: 'mdm', level: config.LOG_LEVEL });
      const dataSource = createDataSource({
        url: config.DATABASE_URL,
        poolSize: config.DATABASE_POOL_SIZE,
        applicationName: 'mdm',
        entities: mdmDatabase.entities,
        migrations: mdmDatabase.migrations,
        logger,
      });
      await runMigrations(dataSource, logger);
      return dataSource;
    },
  };
}
