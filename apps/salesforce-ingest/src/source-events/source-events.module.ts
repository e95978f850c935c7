import { Module } from '@nestjs/common';
import { PollWatermarkStore } from './poll-watermark.store.js';
import { RecordVersionStore } from './record-version.store.js';
import { SourceEventPublisher } from './source-event.publisher.js';

/** Publishing source events of Salesforce and Pardot records, shared by CDC, pollers and the backfill. */
@Module({
  providers: [SourceEventPublisher, RecordVersionStore, PollWatermarkStore],
  exports: [SourceEventPublisher, PollWatermarkStore],
})
export class SourceEventsModule {}
