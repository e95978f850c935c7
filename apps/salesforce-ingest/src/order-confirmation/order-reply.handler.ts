import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type SalesOrderReply } from '@pardot-x3/canonical';
import type { MessageContext } from '@pardot-x3/messaging';
import { EventConsumer, HandleEvent } from '@pardot-x3/messaging-nest';
import { recordConfirmation } from './confirm-order.use-case.js';
import { confirmationOfReply } from './order-confirmation.types.js';

/**
 * salesforce-ingest.order-confirmations: records every order reply, so the status URL shows the outcome
 * of a request whose caller stopped waiting (and of orders requested through CDC too).
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.salesforceIngestOrderConfirmations)
export class OrderReplyHandler {
  @HandleEvent(TOPICS.salesOrderRepliedV1)
  async handle(reply: SalesOrderReply, context: MessageContext): Promise<void> {
    await recordConfirmation(context.entityManager, reply.opportunityId, confirmationOfReply(reply));
  }
}
