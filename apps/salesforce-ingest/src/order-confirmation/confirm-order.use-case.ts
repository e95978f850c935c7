import { Inject, Injectable, Logger } from '@nestjs/common';
import { TOPICS } from '@pardot-x3/canonical';
import type { MappingTemplate } from '@pardot-x3/mapping';
import { RequestTimeoutError } from '@pardot-x3/messaging';
import { MessagingRequestReply } from '@pardot-x3/messaging-nest';
import { orderRequestOfOpportunity, type SalesOrderEligibility } from '@pardot-x3/sales-orders';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import type { SalesforceIngestConfig } from '../salesforce-ingest.config.js';
import { SalesforceRecordReader } from '../salesforce-reads/salesforce-record.reader.js';
import { OrderConfirmationEntity } from './order-confirmation.entity.js';
import { confirmationOfReply, statusUrl, type ConfirmationBody } from './order-confirmation.types.js';

/** Injection token of the order rule and template (config/sales-orders.yaml, opportunity-to-sales-order-request). */
export const ORDER_REQUEST_POLICY = Symbol.for('salesforce-ingest.order-request-policy');

export interface OrderRequestPolicy {
  readonly eligibility: SalesOrderEligibility;
  readonly template: MappingTemplate;
}

/**
 * The synchronous order confirmation of one Opportunity: reads it (with its Account and line items),
 * builds the order request as the transformer does, sends it and waits for x3-order-writer's reply up
 * to ORDER_CONFIRMATION_WAIT_MS. An opportunity that already carries its X3 order number is answered
 * from it. The reply is recorded (also when it comes after the wait), for the status URL.
 */
@Injectable()
export class ConfirmOrderUseCase {
  private readonly logger = new Logger(ConfirmOrderUseCase.name);

  constructor(
    private readonly reader: SalesforceRecordReader,
    private readonly requestReply: MessagingRequestReply,
    private readonly dataSource: DataSource,
    @Inject(ORDER_REQUEST_POLICY) private readonly policy: OrderRequestPolicy,
    @Inject(SERVICE_CONFIG) private readonly config: SalesforceIngestConfig,
  ) {}

  /** The answer, or undefined when Salesforce has no such Opportunity. */
  async execute(opportunityId: string): Promise<ConfirmationBody | undefined> {
    const item = await this.reader.opportunity(opportunityId, 'POLL', 'SNAPSHOT');
    if (!item) return undefined;
    const { change } = item;
    const ordered = change.fields['X3_Order_Number__c'];
    if (typeof ordered === 'string' && ordered !== '')
      return this.record(opportunityId, {
        opportunityId,
        outcome: 'CREATED',
        orderNumber: ordered,
        x3CustomerCode: null,
        customerCreated: false,
      });
    const result = orderRequestOfOpportunity(change, this.policy.template, this.policy.eligibility);
    if (result.outcome === 'not-eligible')
      return { opportunityId, outcome: 'NOT_ELIGIBLE', reasons: result.reasons };
    if (result.outcome === 'invalid')
      return this.record(opportunityId, {
        opportunityId,
        outcome: 'REJECTED',
        reason: 'INVALID_REQUEST',
        message: `The opportunity cannot make an X3 order: ${result.problems.join('; ')}`,
        lines: [],
      });
    await this.dataSource.query(
      `INSERT INTO salesforce_ingest_order_confirmation (opportunity_id, outcome, requested_at)
       VALUES ($1, 'PENDING', now())
       ON CONFLICT (opportunity_id) DO UPDATE SET outcome = 'PENDING', reply = NULL, requested_at = now(), replied_at = NULL`,
      [opportunityId],
    );
    try {
      const reply = await this.requestReply.request(
        TOPICS.salesOrderRequestedV1,
        result.request,
        TOPICS.salesOrderRepliedV1,
        {
          timeoutMs: this.config.ORDER_CONFIRMATION_WAIT_MS,
        },
      );
      return this.record(opportunityId, confirmationOfReply(reply.value));
    } catch (error) {
      if (!(error instanceof RequestTimeoutError)) throw error;
      this.logger.log({ opportunityId }, 'no X3 answer within the wait; the caller gets the status URL');
      const known = await this.status(opportunityId);
      return known && known.outcome !== 'PENDING'
        ? known
        : { opportunityId, outcome: 'PENDING', statusUrl: statusUrl(opportunityId) };
    }
  }

  /** What is known of an opportunity's order: the reply, PENDING while it is awaited, undefined if never asked. */
  async status(opportunityId: string): Promise<ConfirmationBody | undefined> {
    const row = await this.dataSource
      .getRepository(OrderConfirmationEntity)
      .findOne({ where: { opportunityId } });
    if (!row) return undefined;
    if (row.outcome === 'PENDING' || !row.reply)
      return { opportunityId, outcome: 'PENDING', statusUrl: statusUrl(opportunityId) };
    return row.reply;
  }

  private async record(opportunityId: string, body: ConfirmationBody): Promise<ConfirmationBody> {
    if (body.outcome === 'CREATED' || body.outcome === 'REJECTED')
      await recordConfirmation(this.dataSource, opportunityId, body);
    return body;
  }
}

/** Stores the outcome of an opportunity's order (the status URL's answer). */
export async function recordConfirmation(
  database: Pick<DataSource, 'query'>,
  opportunityId: string,
  body: ConfirmationBody,
): Promise<void> {
  await database.query(
    `INSERT INTO salesforce_ingest_order_confirmation (opportunity_id, outcome, reply, replied_at)
     VALUES ($1, $2, $3, now())
     ON CONFLICT (opportunity_id) DO UPDATE SET outcome = EXCLUDED.outcome, reply = EXCLUDED.reply, replied_at = now()`,
    [opportunityId, body.outcome, JSON.stringify(body)],
  );
}
