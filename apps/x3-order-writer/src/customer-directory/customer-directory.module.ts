import { Global, Module } from '@nestjs/common';
import { EngagementScoringModule } from '../engagement-scoring/engagement-scoring.module.js';
import { CustomerDirectory } from './customer-directory.service.js';
import { GoldenCustomerHandler } from './golden-customer.handler.js';

/** The golden customers' cross-references, kept from the mastered-customer topic (group x3-order-writer.customer-directory). */
@Global()
@Module({
  imports: [EngagementScoringModule],
  providers: [CustomerDirectory, GoldenCustomerHandler],
  exports: [CustomerDirectory],
})
export class CustomerDirectoryModule {}
