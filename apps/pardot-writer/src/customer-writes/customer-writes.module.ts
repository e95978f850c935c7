import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import { CustomerWriteFlusher } from './customer-write-flusher.service.js';
import { CustomerWriteQueue } from './customer-write-queue.js';
import { CUSTOMER_WRITE_TEMPLATES, loadCustomerWriteTemplates } from './customer-write-templates.js';
import { FlushCustomerWritesUseCase } from './flush-customer-writes.use-case.js';
import { GoldenCustomerHandler } from './golden-customer.handler.js';
import { PlanCustomerWritesUseCase } from './plan-customer-writes.use-case.js';

/** Golden customers → Pardot prospects and Salesforce Contacts/Accounts, coalesced and budget-aware. */
@Module({
  providers: [
    {
      provide: CUSTOMER_WRITE_TEMPLATES,
      inject: [SERVICE_CONFIG],
      useFactory: (config: PardotWriterConfig) => loadCustomerWriteTemplates(config),
    },
    CustomerWriteQueue,
    PlanCustomerWritesUseCase,
    FlushCustomerWritesUseCase,
    GoldenCustomerHandler,
    CustomerWriteFlusher,
  ],
})
export class CustomerWritesModule {}
