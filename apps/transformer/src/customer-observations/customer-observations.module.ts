import { Module } from '@nestjs/common';
import { CustomerSourceHandler } from './customer-source.handler.js';
import { MapCustomerSourceUseCase } from './map-customer-source.use-case.js';

/** Customer records of X3, Salesforce and Pardot → `customer.observation.recorded.v1`. */
@Module({ providers: [CustomerSourceHandler, MapCustomerSourceUseCase] })
export class CustomerObservationsModule {}
