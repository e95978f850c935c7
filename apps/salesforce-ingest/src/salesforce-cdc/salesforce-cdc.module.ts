import { Module } from '@nestjs/common';
import { SalesforceReadsModule } from '../salesforce-reads/salesforce-reads.module.js';
import { SourceEventsModule } from '../source-events/source-events.module.js';
import { HandleCdcEventUseCase } from './handle-cdc-event.use-case.js';
import { PostgresReplayPositionStore } from './replay-position.store.js';
import { SalesforceCdcService } from './salesforce-cdc.service.js';

/** Lead, Contact, Account, Opportunity changes from Change Data Capture, with a durable replay id. */
@Module({
  imports: [SourceEventsModule, SalesforceReadsModule],
  providers: [HandleCdcEventUseCase, PostgresReplayPositionStore, SalesforceCdcService],
})
export class SalesforceCdcModule {}
