import { Module, type DynamicModule } from '@nestjs/common';
import { messagingConfigFrom } from '@pardot-x3/messaging';
import { MessagingModule } from '@pardot-x3/messaging-nest';
import { ReadinessModule } from '@pardot-x3/service-runtime';
import { CustomerObservationsModule } from './customer-observations/customer-observations.module.js';
import { EngagementModule } from './engagement/engagement.module.js';
import { ErpEventsModule } from './erp-events/erp-events.module.js';
import { InventoryModule } from './inventory/inventory.module.js';
import { MappingTemplatesModule } from './mapping-templates/mapping-templates.module.js';
import { OrderRequestsModule } from './order-requests/order-requests.module.js';
import type { TransformerConfig } from './transformer.config.js';

/** transformer: maps source events to canonical events with the mapping templates. One module per use case is added to `imports`. */
@Module({})
export class AppModule {
  static register(config: TransformerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ReadinessModule.forService('transformer', config),
        MessagingModule.forRoot({
          service: 'transformer',
          config: messagingConfigFrom('transformer', config),
        }),
        MappingTemplatesModule,
        CustomerObservationsModule,
        OrderRequestsModule,
        ErpEventsModule,
        InventoryModule,
        EngagementModule,
      ],
    };
  }
}
