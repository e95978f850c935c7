import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type Prospect } from '@pardot-x3/canonical';
import type { BatchContext, BatchItem } from '@pardot-x3/messaging';
import { EventConsumer, HandleEventBatch } from '@pardot-x3/messaging-nest';
import { PardotOwnWriteStore } from './pardot-own-write.store.js';

/**
 * salesforce-ingest.pardot-own-writes: every prospect pardot-writer wrote, with the `updatedAt` Pardot
 * gave the write, so the Pardot poller drops the prospect when it reads it back unchanged since. A
 * batch per transaction and statement (a backfill upserts thousands).
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.salesforceIngestPardotOwnWrites)
export class ProspectUpsertedHandler {
  constructor(private readonly store: PardotOwnWriteStore) {}

  @HandleEventBatch(TOPICS.pardotProspectUpsertedV1, { maxBatchSize: 500 })
  async handle(items: readonly BatchItem<Prospect>[], batch: BatchContext): Promise<void> {
    await this.store.recordAll(
      batch.entityManager,
      items.map(({ event }) => ({
        prospectId: event.prospectId,
        updatedAt: event.upsertedAt,
        goldenId: event.goldenId,
      })),
    );
  }
}
