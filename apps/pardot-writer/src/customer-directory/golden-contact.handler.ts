import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type GoldenCustomer } from '@pardot-x3/canonical';
import type { MessageContext } from '@pardot-x3/messaging';
import { EventConsumer, HandleEvent, HandleTombstone } from '@pardot-x3/messaging-nest';
import { CustomerDirectory } from './customer-directory.service.js';

/** pardot-writer.customer-directory: keeps the e-mail of every X3 customer's golden record. */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.pardotWriterCustomerDirectory)
export class GoldenContactHandler {
  constructor(private readonly directory: CustomerDirectory) {}

  @HandleEvent(TOPICS.customerGoldenRecordMasteredV1)
  async handle(golden: GoldenCustomer, context: MessageContext): Promise<void> {
    await this.directory.record(context.entityManager, golden);
  }

  @HandleTombstone(TOPICS.customerGoldenRecordMasteredV1)
  async remove(goldenId: string, context: MessageContext): Promise<void> {
    await this.directory.remove(context.entityManager, goldenId);
  }
}
