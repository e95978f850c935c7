import { Module } from '@nestjs/common';
import { CustomerMasteringModule } from '../customer-mastering/customer-mastering.module.js';
import { FindGoldenCustomerUseCase } from './find-golden-customer.use-case.js';
import { GoldenCustomersController } from './golden-customers.controller.js';

/** The HTTP API of golden customers and their explanations. */
@Module({
  imports: [CustomerMasteringModule],
  controllers: [GoldenCustomersController],
  providers: [FindGoldenCustomerUseCase],
})
export class GoldenCustomersModule {}
