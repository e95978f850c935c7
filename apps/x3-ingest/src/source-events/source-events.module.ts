import { Module } from '@nestjs/common';
import { X3ChangePublisher } from './x3-change-publisher.service.js';
import { X3CustomerTurnoverService } from './x3-customer-turnover.service.js';
import { X3RecordVersionStore } from './x3-record-version.store.js';

/** Publishing X3 changes as source events, shared by the webhook and the poller. */
@Module({
  providers: [X3ChangePublisher, X3RecordVersionStore, X3CustomerTurnoverService],
  exports: [X3ChangePublisher],
})
export class SourceEventsModule {}
