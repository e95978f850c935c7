import { Module } from '@nestjs/common';
import { SalesforceReadsModule } from '../salesforce-reads/salesforce-reads.module.js';
import { SourceEventsModule } from '../source-events/source-events.module.js';
import { BackfillSalesforceWindowUseCase } from './backfill-salesforce-window.use-case.js';
import { SalesforceBackfillController } from './salesforce-backfill.controller.js';
import { SalesforceReconcilerService } from './salesforce-reconciler.service.js';

/** The SOQL poller: a backfill of any window on request, and an optional periodic reconciliation. */
@Module({
  imports: [SourceEventsModule, SalesforceReadsModule],
  controllers: [SalesforceBackfillController],
  providers: [BackfillSalesforceWindowUseCase, SalesforceReconcilerService],
})
export class SalesforceBackfillModule {}
