import { Injectable, Logger } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type CustomerObservation } from '@pardot-x3/canonical';
import type { BatchContext, BatchItem } from '@pardot-x3/messaging';
import { EventConsumer, HandleEventBatch } from '@pardot-x3/messaging-nest';
import { DataSource } from 'typeorm';
import { FieldQuarantineStore } from '../data-quality/field-quarantine.store.js';
import { GoldenCustomerStore } from './golden-customer.store.js';
import { MasterCustomerObservationUseCase } from './master-customer-observation.use-case.js';
import { mdmMetrics, type MdmMetrics } from './mdm-metrics.js';

/** Observations per batch: each batch locks its match keys in one transaction (~3 advisory locks each). */
export const MASTERING_BATCH_SIZE = 250;

/**
 * mdm.customer-mastering: a batch of observations (one partition, offset order) changes the golden
 * records in the consumer's transaction (exactly once, with the inbox), then the new versions,
 * tombstones of absorbed records and merge events are published (`customer.golden-record.mastered.v1`,
 * `customer.golden-record.merged.v1`); the fields each source record's observation left out (quarantined,
 * ADR 0135) are recorded in the same transaction. A batch that fails is handled again one observation at a time
 * by the runner, so an observation mdm cannot master is dead-lettered alone.
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.mdmCustomerMastering)
export class CustomerObservationHandler {
  private readonly logger = new Logger(CustomerObservationHandler.name);
  private readonly metrics: MdmMetrics;

  constructor(
    private readonly master: MasterCustomerObservationUseCase,
    private readonly quarantine: FieldQuarantineStore,
    store: GoldenCustomerStore,
    dataSource: DataSource,
  ) {
    this.metrics = mdmMetrics(() => store.countActive(dataSource.manager));
  }

  @HandleEventBatch(TOPICS.customerObservationRecordedV1, { maxBatchSize: MASTERING_BATCH_SIZE })
  async handle(items: readonly BatchItem<CustomerObservation>[], batch: BatchContext): Promise<void> {
    const results = await this.master.execute({
      manager: batch.entityManager,
      observations: items.map(({ event, context }) => ({
        observation: event,
        eventId: context.metadata.eventId,
      })),
    });
    // The data-quality record (fields the templates left out, ADR 0135), in the same transaction.
    await this.quarantine.record(
      batch.entityManager,
      items.map(({ event }) => event),
    );
    for (const [i, result] of results.entries()) {
      const { event: observation, context } = items[i] as BatchItem<CustomerObservation>;
      // Merges first, then the golden record: an event's id is derived from its position among the
      // observation's own, so the ids stay the same when the batch is handled again one by one.
      for (const merge of result.merges) context.emit(TOPICS.customerGoldenRecordMergedV1, merge);
      if (result.golden) context.emit(TOPICS.customerGoldenRecordMasteredV1, result.golden);
      for (const goldenId of result.retiredGoldenIds)
        context.emitTombstone(TOPICS.customerGoldenRecordMasteredV1, goldenId);
      if (result.merges.length > 0) this.metrics.merges.inc(result.retiredGoldenIds.length);
      if (result.ambiguousGoldenIds.length > 0)
        this.logger.warn(
          { goldenId: result.goldenId, ambiguousGoldenIds: result.ambiguousGoldenIds },
          'observation matched several golden records only weakly: attached to the oldest, others left for a data steward',
        );
      this.logger.debug(
        {
          action: result.action,
          sourceSystem: observation.sourceSystem,
          sourceEntity: observation.sourceEntity,
          goldenId: result.goldenId,
          published: result.golden !== undefined,
          explanation: result.explanation,
        },
        'customer observation mastered',
      );
    }
  }
}
