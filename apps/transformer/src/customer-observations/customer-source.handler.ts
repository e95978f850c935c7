import { Injectable, Logger } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type SourceRecordChanged } from '@pardot-x3/canonical';
import type { BatchItem } from '@pardot-x3/messaging';
import { EventConsumer, HandleEventBatch } from '@pardot-x3/messaging-nest';
import { MapCustomerSourceUseCase } from './map-customer-source.use-case.js';

/**
 * Source events per handler call. A batch is one partition's events in offset order (so each key's
 * changes stay in order) and its observations go out in one producer request; a record the template
 * refuses fails the batch, which the consumer then handles one event at a time, so that record alone
 * is dead-lettered with its reason and the others are mapped.
 */
const MAX_BATCH_SIZE = 500;

/**
 * transformer.customer-sources: customer records of every source → canonical customer observations.
 * In batches: an ERP import or a Salesforce mass update brings thousands of changes at once.
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.transformerCustomerSources)
export class CustomerSourceHandler {
  private readonly logger = new Logger(CustomerSourceHandler.name);

  constructor(private readonly mapCustomer: MapCustomerSourceUseCase) {}

  @HandleEventBatch(TOPICS.x3CustomerChangedV1, { maxBatchSize: MAX_BATCH_SIZE })
  async x3Customer(items: readonly BatchItem<SourceRecordChanged>[]): Promise<void> {
    this.handle(items);
  }

  @HandleEventBatch(TOPICS.salesforceLeadChangedV1, { maxBatchSize: MAX_BATCH_SIZE })
  async salesforceLead(items: readonly BatchItem<SourceRecordChanged>[]): Promise<void> {
    this.handle(items);
  }

  @HandleEventBatch(TOPICS.salesforceContactChangedV1, { maxBatchSize: MAX_BATCH_SIZE })
  async salesforceContact(items: readonly BatchItem<SourceRecordChanged>[]): Promise<void> {
    this.handle(items);
  }

  @HandleEventBatch(TOPICS.salesforceAccountChangedV1, { maxBatchSize: MAX_BATCH_SIZE })
  async salesforceAccount(items: readonly BatchItem<SourceRecordChanged>[]): Promise<void> {
    this.handle(items);
  }

  @HandleEventBatch(TOPICS.pardotProspectChangedV1, { maxBatchSize: MAX_BATCH_SIZE })
  async pardotProspect(items: readonly BatchItem<SourceRecordChanged>[]): Promise<void> {
    this.handle(items);
  }

  private handle(items: readonly BatchItem<SourceRecordChanged>[]): void {
    for (const { event: change, context } of items) {
      const result = this.mapCustomer.execute(change);
      if (result.outcome === 'skipped') {
        this.logger.debug(
          {
            system: change.system,
            entity: change.entity,
            templateId: result.templateId,
            reason: result.reason,
          },
          'customer record skipped by its template',
        );
        continue;
      }
      if (result.observation.quarantinedFields.length > 0)
        this.logger.warn(
          {
            system: change.system,
            entity: change.entity,
            recordId: change.recordId,
            templateId: result.templateId,
            quarantinedFields: result.observation.quarantinedFields.map(({ field, rule }) => ({
              field,
              rule,
            })),
          },
          'customer record mapped without its invalid optional fields (quarantined, see the golden record)',
        );
      context.emit(TOPICS.customerObservationRecordedV1, result.observation, {
        occurredAt: result.observation.observedAt,
      });
    }
  }
}
