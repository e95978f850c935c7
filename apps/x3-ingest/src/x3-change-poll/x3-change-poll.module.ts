import { Module } from '@nestjs/common';
import { SourceEventsModule } from '../source-events/source-events.module.js';
import { PollX3ChangesUseCase } from './poll-x3-changes.use-case.js';
import { X3ChangePollerService } from './x3-change-poller.service.js';

/** The UPDDATTIM poller of each X3 class, with a persisted watermark and an overlap window. */
@Module({
  imports: [SourceEventsModule],
  providers: [PollX3ChangesUseCase, X3ChangePollerService],
})
export class X3ChangePollModule {}
