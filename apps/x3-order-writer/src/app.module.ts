import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CONSUMER_GROUPS } from '@pardot-x3/canonical';
import { messagingConfigFrom } from '@pardot-x3/messaging';
import { MessagingModule } from '@pardot-x3/messaging-nest';
import { ReadinessModule } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import { CustomerDirectoryModule } from './customer-directory/customer-directory.module.js';
import { EngagementScoreWriteModule } from './engagement-score-write/engagement-score-write.module.js';
import { EngagementScoringModule } from './engagement-scoring/engagement-scoring.module.js';
import { OrderCreationModule } from './order-creation/order-creation.module.js';
import { X3ConnectionModule } from './x3-connection/x3-connection.module.js';
import type { X3OrderWriterConfig } from './x3-order-writer.config.js';
import { x3OrderWriterDataSource } from './x3-order-writer.database.js';

/** x3-order-writer: creates customers and sales orders in Sage X3 and replies with the outcome. One module per use case is added to `imports`. */
@Module({})
export class AppModule {
  static register(config: X3OrderWriterConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ReadinessModule.forService('x3-order-writer', config),
        TypeOrmModule.forRootAsync(x3OrderWriterDataSource(config)),
        MessagingModule.forRootAsync({
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            service: 'x3-order-writer',
            config: messagingConfigFrom('x3-order-writer', config),
            dataSource,
            consumers: {
              [CONSUMER_GROUPS.x3OrderWriterSalesOrders.name]: {
                partitionConcurrency: config.ORDER_PARTITION_CONCURRENCY,
              },
            },
          }),
        }),
        X3ConnectionModule,
        CustomerDirectoryModule,
        OrderCreationModule,
        EngagementScoringModule,
        EngagementScoreWriteModule,
      ],
    };
  }
}
