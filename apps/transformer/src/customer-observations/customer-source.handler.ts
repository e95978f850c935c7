import { Injectable, Logger } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type SourceRecordChanged } from '@pardot-x3/canonical';
import type { MessageContext } from '@pardot-x3/messaging';
import { EventConsumer, HandleEvent } from '@pardot-x3/messaging-nest';
import { MapCustomerSourceUseCase } from './map-customer-source.use-case.js';

/** transformer.customer-sources: customer records of every source → canonical customer observations. */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.transformerCustomerSources)
export class CustomerSourceHandler {
  private readonly logger = new Logger(CustomerSourceHandler.name);

  constructor(private readonly mapCustomer: MapCustomerSourceUseCase) {}

  @HandleEvent(TOPICS.x3CustomerChangedV1)
  async x3Customer(change: SourceRecordChanged, context: MessageContext): Promise<void> {
    this.handle(change, context);
  }

  @HandleEvent(TOPICS.salesforceLeadChangedV1)
  async salesforceLead(change: SourceRecordChanged, context: MessageContext): Promise<void> {
    this.handle(change, context);
  }

  @HandleEvent(TOPICS.salesforceContactChangedV1)
  async salesforceContact(change: SourceRecordChanged, context: MessageContext): Promise<void> {
    this.handle(change, context);
  }

  @HandleEvent(TOPICS.salesforceAccountChangedV1)
  async salesforceAccount(change: SourceRecordChanged, context: MessageContext): Promise<void> {
    this.handle(change, context);
  }

  @HandleEvent(TOPICS.pardotProspectChangedV1)
  async pardotProspect(change: SourceRecordChanged, context: MessageContext): Promise<void> {
    this.handle(change, context);
  }

  private handle(change: SourceRecordChanged, context: MessageContext): void {
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
      return;
    }
    context.emit(TOPICS.customerObservationRecordedV1, result.observation, {
      occurredAt: result.observation.observedAt,
    });
  }
}
