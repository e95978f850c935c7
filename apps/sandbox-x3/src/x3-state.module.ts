import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DeliveryService } from './business/delivery.service.js';
import { MasterDataService } from './business/master-data.service.js';
import { SalesOrderService } from './business/sales-order.service.js';
import { StockService } from './business/stock.service.js';
import { SANDBOX_X3_CONFIG, type SandboxX3Config } from './sandbox-x3.config.js';
import { X3Store } from './store/x3-store.service.js';
import { WebhookEmitter } from './webhooks/webhook-emitter.service.js';

/** The folders' data, the business rules and the webhook emitter, one instance each, for every module. */
@Global()
@Module({})
export class X3StateModule {
  static register(config: SandboxX3Config): DynamicModule {
    const services = [
      X3Store,
      StockService,
      SalesOrderService,
      DeliveryService,
      MasterDataService,
      WebhookEmitter,
    ];
    return {
      module: X3StateModule,
      providers: [{ provide: SANDBOX_X3_CONFIG, useValue: config }, ...services],
      exports: [SANDBOX_X3_CONFIG, ...services],
    };
  }
}
