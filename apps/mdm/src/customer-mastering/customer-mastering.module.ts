import { Module } from '@nestjs/common';
import { FieldQuarantineStore } from '../data-quality/field-quarantine.store.js';
import { CustomerObservationHandler } from './customer-observation.handler.js';
import { GoldenCustomerStore } from './golden-customer.store.js';
import { MasterCustomerObservationUseCase } from './master-customer-observation.use-case.js';

/** Customer observations → golden customer records (matching, survivorship, merges) and their data-quality record. */
@Module({
  providers: [
    CustomerObservationHandler,
    MasterCustomerObservationUseCase,
    GoldenCustomerStore,
    FieldQuarantineStore,
  ],
  exports: [GoldenCustomerStore, FieldQuarantineStore],
})
export class CustomerMasteringModule {}
