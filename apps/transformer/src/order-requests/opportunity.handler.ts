import { Injectable, Logger } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type SourceRecordChanged } from '@pardot-x3/canonical';
import type { MessageContext } from '@pardot-x3/messaging';
import { EventConsumer, HandleEvent } from '@pardot-x3/messaging-nest';
import { RequestSalesOrderUseCase } from './request-sales-order.use-case.js';

/** transformer.sales-orders: Closed Won Opportunities with product lines → `sales.order.requested.v1`. */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.transformerSalesOrders)
export class OpportunityHandler {
  private readonly logger = new Logger(OpportunityHandler.name);

  constructor(private readonly requestOrder: RequestSalesOrderUseCase) {}

  @HandleEvent(TOPICS.salesforceOpportunityChangedV1)
  async handle(change: SourceRecordChanged, context: MessageContext): Promise<void> {
    const result = this.requestOrder.execute(change);
    if (result.outcome === 'not-eligible') {
      this.logger.debug(
        { opportunityId: change.recordId, reasons: result.reasons },
        'no order for this opportunity',
      );
      return;
    }
    context.emit(TOPICS.salesOrderRequestedV1, result.request, { occurredAt: result.request.closedAt });
  }
}
