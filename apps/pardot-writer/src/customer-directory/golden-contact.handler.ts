import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type GoldenCustomer } from '@pardot-x3/canonical';
import type { BatchContext, BatchItem, MessageContext } from '@pardot-x3/messaging';
import { EventConsumer, HandleEventBatch, HandleTombstone } from '@pardot-x3/messaging-nest';
import { CustomerDirectory } from './customer-directory.service.js';

/** Golden records per call: one statement each (a mass update masters thousands at once). */
const MAX_BATCH_SIZE = 500;

/** pardot-writer.customer-directory: keeps the e-mail of every X3 customer's golden record. */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.pardotWriterCustomerDirectory)
export class GoldenContactHandler {
  constructor(private readonly directory: CustomerDirectory) {}

  @HandleEventBatch(TOPICS.customerGoldenRecordMasteredV1, { maxBatchSize: MAX_BATCH_SIZE })
  async handle(items: readonly BatchItem<GoldenCustomer>[], batch: BatchContext): Promise<void> {
    await this.directory.recordAll(
      batch.entityManager,
      items.map((item) => item.event),
    );
  }

  @HandleTombstone(TOPICS.customerGoldenRecordMasteredV1)
  async remove(goldenId: string, context: MessageContext): Promise<void> {
    await this.directory.remove(context.entityManager, goldenId);
  }
}
