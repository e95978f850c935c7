import { Module } from '@nestjs/common';
import { CustomerObservationHandler } from './customer-observation.handler.js';
import { GoldenCustomerStore } from './golden-customer.store.js';
import { MasterCustomerObservationUseCase } from './master-customer-observation.use-case.js';

/** Customer observations → golden customer records (matching, survivorship, merges). */
@Module({
  providers: [CustomerObservationHandler, MasterCustomerObservationUseCase, GoldenCustomerStore],
  exports: [GoldenCustomerStore],
})
export class CustomerMasteringModule {}
