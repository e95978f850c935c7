import { Injectable, Logger } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type CustomerObservation } from '@pardot-x3/canonical';
import type { MessageContext } from '@pardot-x3/messaging';
import { EventConsumer, HandleEvent } from '@pardot-x3/messaging-nest';
import { DataSource } from 'typeorm';
import { GoldenCustomerStore } from './golden-customer.store.js';
import { MasterCustomerObservationUseCase } from './master-customer-observation.use-case.js';
import { mdmMetrics, type MdmMetrics } from './mdm-metrics.js';

/**
 * mdm.customer-mastering: each observation changes the golden records in the consumer's transaction
 * (exactly once, with the inbox), then the new golden record, tombstones of absorbed ones and merge
 * events are published (`customer.golden-record.mastered.v1`, `customer.golden-record.merged.v1`).
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.mdmCustomerMastering)
export class CustomerObservationHandler {
  private readonly logger = new Logger(CustomerObservationHandler.name);
  private readonly metrics: MdmMetrics;

  constructor(
    private readonly master: MasterCustomerObservationUseCase,
    store: GoldenCustomerStore,
    dataSource: DataSource,
  ) {
    this.metrics = mdmMetrics(() => store.countActive(dataSource.manager));
  }

  @HandleEvent(TOPICS.customerObservationRecordedV1)
  async handle(observation: CustomerObservation, context: MessageContext): Promise<void> {
    const result = await this.master.execute({
      observation,
      eventId: context.metadata.eventId,
      manager: context.entityManager,
    });
    if (result.golden) context.emit(TOPICS.customerGoldenRecordMasteredV1, result.golden);
    for (const goldenId of result.retiredGoldenIds)
      context.emitTombstone(TOPICS.customerGoldenRecordMasteredV1, goldenId);
    for (const merge of result.merges) context.emit(TOPICS.customerGoldenRecordMergedV1, merge);
    if (result.merges.length > 0) this.metrics.merges.inc(result.retiredGoldenIds.length);
    if (result.ambiguousGoldenIds.length > 0)
      this.logger.warn(
        { goldenId: result.golden?.goldenId, ambiguousGoldenIds: result.ambiguousGoldenIds },
        'observation matched several golden records only weakly: attached to the oldest, others left for a data steward',
      );
    this.logger.debug(
      {
        action: result.action,
        sourceSystem: observation.sourceSystem,
        sourceEntity: observation.sourceEntity,
        goldenId: result.golden?.goldenId,
        explanation: result.explanation,
      },
      'customer observation mastered',
    );
  }
}
