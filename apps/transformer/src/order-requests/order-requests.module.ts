import { Module } from '@nestjs/common';
import { readConfigFile } from '@pardot-x3/config';
import { parseSalesOrderPolicy } from '@pardot-x3/sales-orders';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { TransformerConfig } from '../transformer.config.js';
import { OpportunityHandler } from './opportunity.handler.js';
import { RequestSalesOrderUseCase, SALES_ORDER_ELIGIBILITY } from './request-sales-order.use-case.js';

/** Closed Won → order request (group transformer.sales-orders). */
@Module({
  providers: [
    {
      provide: SALES_ORDER_ELIGIBILITY,
      inject: [SERVICE_CONFIG],
      useFactory: (config: TransformerConfig) => {
        const file = readConfigFile(config, 'sales-orders.yaml');
        return parseSalesOrderPolicy(file.text, file.fileName).eligibility;
      },
    },
    RequestSalesOrderUseCase,
    OpportunityHandler,
  ],
})
export class OrderRequestsModule {}
