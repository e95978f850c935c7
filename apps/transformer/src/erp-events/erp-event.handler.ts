import { Injectable, Logger } from '@nestjs/common';
import {
  CONSUMER_GROUPS,
  TOPICS,
  type SourceRecordChanged,
  type TopicDefinition,
} from '@pardot-x3/canonical';
import type { MessageContext } from '@pardot-x3/messaging';
import { EventConsumer, HandleEvent } from '@pardot-x3/messaging-nest';
import { MapErpEventUseCase } from './map-erp-event.use-case.js';

/**
 * transformer.erp-events: X3 sales orders, validated deliveries and posted invoices → the canonical sales
 * events pardot-writer turns into Account Engagement external activities.
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.transformerErpEvents)
export class ErpEventHandler {
  private readonly logger = new Logger(ErpEventHandler.name);

  constructor(private readonly mapEvent: MapErpEventUseCase) {}

  @HandleEvent(TOPICS.x3SalesOrderChangedV1)
  async salesOrder(change: SourceRecordChanged, context: MessageContext): Promise<void> {
    this.map(change, context, 'x3-sales-order-to-canonical', TOPICS.salesOrderCreatedV1);
  }

  @HandleEvent(TOPICS.x3DeliveryChangedV1)
  async delivery(change: SourceRecordChanged, context: MessageContext): Promise<void> {
    this.map(change, context, 'x3-delivery-to-canonical', TOPICS.salesShipmentValidatedV1);
  }

  @HandleEvent(TOPICS.x3InvoiceChangedV1)
  async invoice(change: SourceRecordChanged, context: MessageContext): Promise<void> {
    this.map(change, context, 'x3-invoice-to-canonical', TOPICS.salesInvoicePostedV1);
  }

  private map<V>(
    change: SourceRecordChanged,
    context: MessageContext,
    template: string,
    topic: TopicDefinition<V>,
  ): void {
    const result = this.mapEvent.execute(change, template, topic.value);
    if (result.outcome === 'skipped') {
      this.logger.debug(
        { entity: change.entity, recordId: change.recordId, reason: result.reason },
        'no sales event',
      );
      return;
    }
    context.emit(topic, result.value, { occurredAt: change.changedAt });
  }
}
