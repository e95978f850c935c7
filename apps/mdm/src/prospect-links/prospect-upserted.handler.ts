import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type Prospect } from '@pardot-x3/canonical';
import type { MessageContext } from '@pardot-x3/messaging';
import { EventConsumer, HandleEvent } from '@pardot-x3/messaging-nest';
import { LinkPardotProspectUseCase } from './link-pardot-prospect.use-case.js';

/**
 * mdm.prospect-links: Pardot prospect ids of upserted prospects → the golden records' cross-references,
 * stored without a new mastered version (an echo of our own write is no news for any target).
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.mdmProspectLinks)
export class ProspectUpsertedHandler {
  constructor(private readonly link: LinkPardotProspectUseCase) {}

  @HandleEvent(TOPICS.pardotProspectUpsertedV1)
  async handle(prospect: Prospect, context: MessageContext): Promise<void> {
    await this.link.execute(prospect, context.entityManager);
  }
}
