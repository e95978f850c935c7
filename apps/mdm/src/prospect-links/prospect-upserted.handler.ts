import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type Prospect } from '@pardot-x3/canonical';
import type { BatchContext, BatchItem } from '@pardot-x3/messaging';
import { EventConsumer, HandleEventBatch } from '@pardot-x3/messaging-nest';
import { LinkPardotProspectUseCase } from './link-pardot-prospect.use-case.js';

/** Upserted prospects per transaction (a backfill upserts thousands). */
const MAX_BATCH_SIZE = 200;

/**
 * mdm.prospect-links: Pardot prospect ids of upserted prospects → the golden records' cross-references,
 * stored without a new mastered version (an echo of our own write is no news for any target). A batch
 * at a time, in offset order, in one transaction.
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.mdmProspectLinks)
export class ProspectUpsertedHandler {
  constructor(private readonly link: LinkPardotProspectUseCase) {}

  @HandleEventBatch(TOPICS.pardotProspectUpsertedV1, { maxBatchSize: MAX_BATCH_SIZE })
  async handle(items: readonly BatchItem<Prospect>[], batch: BatchContext): Promise<void> {
    await this.link.execute({
      manager: batch.entityManager,
      prospects: items.map(({ event }) => event),
    });
  }
}
