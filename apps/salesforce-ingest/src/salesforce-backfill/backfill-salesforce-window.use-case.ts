import { Injectable, Logger } from '@nestjs/common';
import type { SalesforceSourceObject } from '@pardot-x3/ingestion';
import { SalesforceRecordReader } from '../salesforce-reads/salesforce-record.reader.js';
import { SourceEventPublisher } from '../source-events/source-event.publisher.js';

export interface BackfillWindow {
  readonly objects: readonly SalesforceSourceObject[];
  /** Records changed at or after (SystemModstamp). */
  readonly since: Date;
  /** … and before; default now. */
  readonly until?: Date;
}

/**
 * Re-reads every record of the objects changed in a window (SOQL on SystemModstamp, page by page) and
 * publishes them as SNAPSHOT source events (`via` BACKFILL): an initial load, or a window to repair.
 * Consumers recognise values they already have (mdm compares each record with its last state).
 */
@Injectable()
export class BackfillSalesforceWindowUseCase {
  private readonly logger = new Logger(BackfillSalesforceWindowUseCase.name);

  constructor(
    private readonly reader: SalesforceRecordReader,
    private readonly publisher: SourceEventPublisher,
  ) {}

  async execute(window: BackfillWindow, onProgress?: (published: number) => void): Promise<number> {
    let published = 0;
    for (const sobject of window.objects) {
      for await (const page of this.reader.window(sobject, window.since, window.until, 'BACKFILL')) {
        published += await this.publisher.publish(page);
        onProgress?.(published);
      }
      this.logger.log({ sobject, published }, `backfill of ${sobject} done`);
    }
    return published;
  }
}
