import { Injectable, Logger } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type CustomerMerged, type GoldenCustomer } from '@pardot-x3/canonical';
import {
  parkableMessage,
  type BatchContext,
  type BatchItem,
  type MessageContext,
} from '@pardot-x3/messaging';
import { EventConsumer, HandleEvent, HandleEventBatch, HandleTombstone } from '@pardot-x3/messaging-nest';
import { CustomerWriteQueue } from './customer-write-queue.js';
import { PlanCustomerWritesUseCase } from './plan-customer-writes.use-case.js';

/** Mastered versions per transaction (a mass update masters thousands at once). */
const MAX_BATCH_SIZE = 200;

/**
 * pardot-writer.customers: each golden record change queues its writes (exactly once, in the
 * consumer's transaction: one per batch, the changes planned in offset order); the offset is committed once they are stored, and the writes happen when
 * their coalescing window ends (`CustomerWriteFlusher`), across restarts.
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.pardotWriterCustomers)
export class GoldenCustomerHandler {
  private readonly logger = new Logger(GoldenCustomerHandler.name);

  constructor(
    private readonly plan: PlanCustomerWritesUseCase,
    private readonly queue: CustomerWriteQueue,
  ) {}

  @HandleEventBatch(TOPICS.customerGoldenRecordMasteredV1, { maxBatchSize: MAX_BATCH_SIZE })
  async mastered(items: readonly BatchItem<GoldenCustomer>[], batch: BatchContext): Promise<void> {
    for (const { event: golden, context } of items) {
      const source = parkableMessage({ ...context.raw, eventId: context.metadata.eventId });
      const planned = await this.plan.execute({ manager: batch.entityManager, golden, source });
      this.logger.debug(
        { goldenId: golden.goldenId, version: golden.version, ...planned },
        'customer writes planned',
      );
    }
  }

  @HandleTombstone(TOPICS.customerGoldenRecordMasteredV1)
  async retired(goldenId: string, context: MessageContext): Promise<void> {
    await this.queue.cancelGolden(context.entityManager, goldenId);
  }

  @HandleEvent(TOPICS.customerGoldenRecordMergedV1)
  async merged(merge: CustomerMerged, context: MessageContext): Promise<void> {
    for (const absorbed of merge.absorbedGoldenIds)
      await this.queue.cancelGolden(context.entityManager, absorbed);
  }
}
