import { Module } from '@nestjs/common';
import { ErpEventHandler } from './erp-event.handler.js';
import { SendErpActivityUseCase } from './send-erp-activity.use-case.js';

/** X3 events → Account Engagement external activities (group pardot-writer.erp-activities). */
@Module({ providers: [SendErpActivityUseCase, ErpEventHandler] })
export class ErpActivitiesModule {}
