import { Module } from '@nestjs/common';
import { readConfigFile } from '@pardot-x3/config';
import { parseMappingTemplate } from '@pardot-x3/mapping';
import { parseSalesOrderPolicy } from '@pardot-x3/sales-orders';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { SalesforceIngestConfig } from '../salesforce-ingest.config.js';
import { SalesforceReadsModule } from '../salesforce-reads/salesforce-reads.module.js';
import {
  ConfirmOrderUseCase,
  ORDER_REQUEST_POLICY,
  type OrderRequestPolicy,
} from './confirm-order.use-case.js';
import { OrderConfirmationController } from './order-confirmation.controller.js';
import { OrderConfirmationGuard } from './order-confirmation.guard.js';
import { OrderReplyHandler } from './order-reply.handler.js';

/** The synchronous order confirmation endpoint and its status URL (group salesforce-ingest.order-confirmations). */
@Module({
  imports: [SalesforceReadsModule],
  controllers: [OrderConfirmationController],
  providers: [
    {
      provide: ORDER_REQUEST_POLICY,
      inject: [SERVICE_CONFIG],
      useFactory: (config: SalesforceIngestConfig): OrderRequestPolicy => {
        const policy = readConfigFile(config, 'sales-orders.yaml');
        const template = readConfigFile(config, 'mappings/opportunity-to-sales-order-request.yaml');
        return {
          eligibility: parseSalesOrderPolicy(policy.text, policy.fileName).eligibility,
          template: parseMappingTemplate(template.text, template.fileName),
        };
      },
    },
    ConfirmOrderUseCase,
    OrderConfirmationGuard,
    OrderReplyHandler,
  ],
})
export class OrderConfirmationModule {}
