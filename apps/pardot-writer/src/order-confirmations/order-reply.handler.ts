import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type SalesOrderReply } from '@pardot-x3/canonical';
import { parkableMessage, type BatchContext, type BatchItem } from '@pardot-x3/messaging';
import { EventConsumer, HandleEventBatch } from '@pardot-x3/messaging-nest';
import { WriteOrderOutcomesUseCase } from './write-order-outcomes.use-case.js';

/**
 * pardot-writer.order-confirmations: every order reply — whether its requester waited for it or not —
 * is written back to the Opportunity, in batches of up to 200 (one Salesforce call).
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.pardotWriterOrderConfirmations)
export class OrderReplyHandler {
  constructor(private readonly writeOutcomes: WriteOrderOutcomesUseCase) {}

  @HandleEventBatch(TOPICS.salesOrderRepliedV1, { maxBatchSize: 200 })
  async handle(items: readonly BatchItem<SalesOrderReply>[], batch: BatchContext): Promise<void> {
    await this.writeOutcomes.execute({
      replies: items.map((item) => ({
        reply: item.event,
        source: parkableMessage({ ...item.context.raw, eventId: item.context.metadata.eventId }),
      })),
      manager: batch.entityManager,
    });
  }
}
