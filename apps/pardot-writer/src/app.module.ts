import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { messagingConfigFrom } from '@pardot-x3/messaging';
import { MessagingModule } from '@pardot-x3/messaging-nest';
import { ConnectionsModule } from '@pardot-x3/pardot-connector';
import { ReadinessModule } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import { CustomerDirectoryModule } from './customer-directory/customer-directory.module.js';
import { CustomerWritesModule } from './customer-writes/customer-writes.module.js';
import { ErpActivitiesModule } from './erp-activities/erp-activities.module.js';
import { OrderConfirmationsModule } from './order-confirmations/order-confirmations.module.js';
import type { PardotWriterConfig } from './pardot-writer.config.js';
import { pardotWriterDataSource } from './pardot-writer.database.js';
import { StockFieldsModule } from './stock-fields/stock-fields.module.js';
import { StockWebhookModule } from './stock-webhook/stock-webhook.module.js';

/** pardot-writer: writes prospects, activities and Salesforce records. One module per use case is added to `imports`. */
@Module({})
export class AppModule {
  static register(config: PardotWriterConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ReadinessModule.forService('pardot-writer', config),
        TypeOrmModule.forRootAsync(pardotWriterDataSource(config)),
        MessagingModule.forRootAsync({
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            service: 'pardot-writer',
            config: messagingConfigFrom('pardot-writer', config),
            dataSource,
          }),
        }),
        ConnectionsModule,
        CustomerWritesModule,
        CustomerDirectoryModule,
        OrderConfirmationsModule,
        ErpActivitiesModule,
        StockFieldsModule,
        ...(config.STOCK_WEBHOOK_URL ? [StockWebhookModule] : []),
      ],
    };
  }
}
