import { Module } from '@nestjs/common';
import { PardotOwnWritesModule } from '../pardot-own-writes/pardot-own-writes.module.js';
import { SourceEventsModule } from '../source-events/source-events.module.js';
import { PardotPollerService } from './pardot-poller.service.js';
import { PollPardotUseCase } from './poll-pardot.use-case.js';

/** Pardot prospects (v5 query on updatedAt) and visitor activities, polled with a watermark. */
@Module({
  imports: [SourceEventsModule, PardotOwnWritesModule],
  providers: [PollPardotUseCase, PardotPollerService],
})
export class PardotPollModule {}
