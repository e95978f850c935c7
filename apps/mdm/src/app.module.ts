import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { messagingConfigFrom } from '@pardot-x3/messaging';
import { MessagingModule } from '@pardot-x3/messaging-nest';
import { ReadinessModule } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import { CustomerMasteringModule } from './customer-mastering/customer-mastering.module.js';
import { CustomerPoliciesModule } from './customer-policies/customer-policies.module.js';
import { GoldenCustomersModule } from './golden-customers/golden-customers.module.js';
import type { MdmConfig } from './mdm.config.js';
import { mdmDataSource } from './mdm.database.js';
import { ProspectLinksModule } from './prospect-links/prospect-links.module.js';

/** mdm: matches, dedupes and merges customers into golden records. One module per use case is added to `imports`. */
@Module({})
export class AppModule {
  static register(config: MdmConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ReadinessModule.forService('mdm', config),
        TypeOrmModule.forRootAsync(mdmDataSource(config)),
        MessagingModule.forRootAsync({
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            service: 'mdm',
            config: messagingConfigFrom('mdm', config),
            dataSource,
            // All six partitions of the observation topic at once: a batch mostly waits on PostgreSQL
            // round trips, so overlapping them keeps the one event loop busy (ADR 0137).
            consumers: { 'mdm.customer-mastering': { keyConcurrency: 4, partitionConcurrency: 6 } },
          }),
        }),
        CustomerPoliciesModule,
        CustomerMasteringModule,
        ProspectLinksModule,
        GoldenCustomersModule,
      ],
    };
  }
}
