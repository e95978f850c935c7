import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TOPICS } from '@pardot-x3/canonical';
import { messagingConfigFrom } from '@pardot-x3/messaging';
import { MessagingModule } from '@pardot-x3/messaging-nest';
import { ConnectionsModule } from '@pardot-x3/pardot-connector';
import { ReadinessModule } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import { OrderConfirmationModule } from './order-confirmation/order-confirmation.module.js';
import { PardotOwnWritesModule } from './pardot-own-writes/pardot-own-writes.module.js';
import { PardotPollModule } from './pardot-poll/pardot-poll.module.js';
import { SalesforceBackfillModule } from './salesforce-backfill/salesforce-backfill.module.js';
import { SalesforceCdcModule } from './salesforce-cdc/salesforce-cdc.module.js';
import type { SalesforceIngestConfig } from './salesforce-ingest.config.js';
import { salesforceIngestDataSource } from './salesforce-ingest.database.js';

/** salesforce-ingest: reads Salesforce CDC, webhooks and SOQL polls; Pardot prospects and activities. One module per use case is added to `imports`. */
@Module({})
export class AppModule {
  static register(config: SalesforceIngestConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ReadinessModule.forService('salesforce-ingest', config),
        TypeOrmModule.forRootAsync(salesforceIngestDataSource(config)),
        MessagingModule.forRootAsync({
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            service: 'salesforce-ingest',
            config: messagingConfigFrom('salesforce-ingest', config),
            dataSource,
            replyTopics: [TOPICS.salesOrderRepliedV1],
          }),
        }),
        ConnectionsModule,
        SalesforceCdcModule,
        SalesforceBackfillModule,
        PardotOwnWritesModule,
        PardotPollModule,
        OrderConfirmationModule,
      ],
    };
  }
}
