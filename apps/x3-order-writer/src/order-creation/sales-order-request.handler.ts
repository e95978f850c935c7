import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type SalesOrderRequested } from '@pardot-x3/canonical';
import type { MessageContext } from '@pardot-x3/messaging';
import { EventConsumer, HandleEvent } from '@pardot-x3/messaging-nest';
import { CreateSalesOrderUseCase } from './create-sales-order.use-case.js';

/**
 * Order requests (group x3-order-writer.sales-orders): the reply goes to `sales.order.replied.v1`
 * whether the request came from a waiting caller (request-reply) or not; a customer created for the
 * order is announced to mdm as an X3 observation linked to the Account.
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.x3OrderWriterSalesOrders)
export class SalesOrderRequestHandler {
  constructor(private readonly createOrder: CreateSalesOrderUseCase) {}

  @HandleEvent(TOPICS.salesOrderRequestedV1)
  async handle(request: SalesOrderRequested, context: MessageContext): Promise<void> {
    const { reply, observations } = await this.createOrder.execute({
      request,
      manager: context.entityManager,
    });
    for (const observation of observations) context.emit(TOPICS.customerObservationRecordedV1, observation);
    context.reply(TOPICS.salesOrderRepliedV1, reply);
  }
}
