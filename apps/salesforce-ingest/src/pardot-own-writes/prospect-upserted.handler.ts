import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type Prospect } from '@pardot-x3/canonical';
import type { MessageContext } from '@pardot-x3/messaging';
import { EventConsumer, HandleEvent } from '@pardot-x3/messaging-nest';
import { PardotOwnWriteStore } from './pardot-own-write.store.js';

/**
 * salesforce-ingest.pardot-own-writes: every prospect pardot-writer wrote, with the `updatedAt` Pardot
 * gave the write, so the Pardot poller drops the prospect when it reads it back unchanged since.
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.salesforceIngestPardotOwnWrites)
export class ProspectUpsertedHandler {
  constructor(private readonly store: PardotOwnWriteStore) {}

  @HandleEvent(TOPICS.pardotProspectUpsertedV1)
  async handle(prospect: Prospect, context: MessageContext): Promise<void> {
    await this.store.record(
      context.entityManager,
      prospect.prospectId,
      prospect.upsertedAt,
      prospect.goldenId,
    );
  }
}
