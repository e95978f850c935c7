import { Injectable } from '@nestjs/common';
import {
  CONSUMER_GROUPS,
  TOPICS,
  type InvoicePosted,
  type SalesOrderCreated,
  type Shipment,
} from '@pardot-x3/canonical';
import type { MessageContext } from '@pardot-x3/messaging';
import { EventConsumer, HandleEvent } from '@pardot-x3/messaging-nest';
import { SendErpActivityUseCase } from './send-erp-activity.use-case.js';

/**
 * pardot-writer.erp-activities: X3 orders, validated deliveries and posted invoices → Account
 * Engagement external activities ("X3 Order Created", "X3 Order Shipped", "X3 Invoice Posted"),
 * value = the X3 order number.
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.pardotWriterErpActivities)
export class ErpEventHandler {
  constructor(private readonly send: SendErpActivityUseCase) {}

  @HandleEvent(TOPICS.salesOrderCreatedV1)
  async orderCreated(order: SalesOrderCreated, context: MessageContext): Promise<void> {
    await this.send.execute({
      activity: {
        kind: 'order-created',
        businessKey: order.orderNumber,
        x3CustomerCode: order.x3CustomerCode,
        email: order.customerEmail,
        value: order.orderNumber,
        occurredAt: order.createdAt,
      },
      manager: context.entityManager,
    });
  }

  @HandleEvent(TOPICS.salesShipmentValidatedV1)
  async shipped(shipment: Shipment, context: MessageContext): Promise<void> {
    await this.send.execute({
      activity: {
        kind: 'order-shipped',
        businessKey: shipment.deliveryNumber,
        x3CustomerCode: shipment.x3CustomerCode,
        email: shipment.customerEmail,
        value: shipment.orderNumber ?? shipment.deliveryNumber,
        occurredAt: shipment.validatedAt,
      },
      manager: context.entityManager,
    });
  }

  @HandleEvent(TOPICS.salesInvoicePostedV1)
  async invoicePosted(invoice: InvoicePosted, context: MessageContext): Promise<void> {
    await this.send.execute({
      activity: {
        kind: 'invoice-posted',
        businessKey: invoice.invoiceNumber,
        x3CustomerCode: invoice.x3CustomerCode,
        email: invoice.customerEmail,
        value: invoice.orderNumber ?? invoice.invoiceNumber,
        occurredAt: invoice.postedAt,
      },
      manager: context.entityManager,
    });
  }
}
