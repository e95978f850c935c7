import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { X3OrderWriterConfig } from '../x3-order-writer.config.js';
import { CreateSalesOrderUseCase } from './create-sales-order.use-case.js';
import { EnsureX3CustomerUseCase } from './ensure-x3-customer.use-case.js';
import { loadOrderCreationPolicies, ORDER_CREATION_POLICIES } from './order-creation.policies.js';
import { SalesOrderRequestHandler } from './sales-order-request.handler.js';

/** Closed Won → X3 order (group x3-order-writer.sales-orders): customers once, orders once, typed replies. */
@Module({
  providers: [
    {
      provide: ORDER_CREATION_POLICIES,
      inject: [SERVICE_CONFIG],
      useFactory: (config: X3OrderWriterConfig) => loadOrderCreationPolicies(config),
    },
    EnsureX3CustomerUseCase,
    CreateSalesOrderUseCase,
    SalesOrderRequestHandler,
  ],
})
export class OrderCreationModule {}
