import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  TOPICS,
  type CustomerObservation,
  type SalesOrderCreated,
  type SalesOrderRejected,
  type SalesOrderReply,
  type SalesOrderRequested,
} from '@pardot-x3/canonical';
import { mapToCanonical, numberLines } from '@pardot-x3/mapping';
import type { EntityManager } from '@pardot-x3/persistence';
import { salesOrderRejectedFrom, x3SalesOrderFromRequest } from '@pardot-x3/sales-orders';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { X3BusinessError, X3Client, type X3Resource } from '@pardot-x3/x3-connector';
import type { X3OrderWriterConfig } from '../x3-order-writer.config.js';
import { CustomerRefusedError } from './customer-refused.error.js';
import { EnsureX3CustomerUseCase, type EnsuredX3Customer } from './ensure-x3-customer.use-case.js';
import { ORDER_CREATION_POLICIES, type OrderCreationPolicies } from './order-creation.policies.js';
import { OrderOutcomeEntity } from './order-outcome.entity.js';

export interface CreateSalesOrderCommand {
  readonly request: SalesOrderRequested;
  /** The transaction of the request's handling (inbox, customer records, outcome). */
  readonly manager: EntityManager;
}

export interface CreateSalesOrderResult {
  readonly reply: SalesOrderReply;
  /** Customers mdm must learn about (created or adopted for this order). */
  readonly observations: readonly CustomerObservation[];
}

/**
 * One order request: makes sure the customer exists in X3 (created once, with the financial
 * defaults), creates the X3 sales order keyed by the opportunity id (a request seen again finds the
 * order X3 already has and creates nothing), and answers with the order or the typed rejection.
 * Business refusals are answers; transport and authentication failures are errors (retried, then
 * dead-lettered) because the request may succeed later.
 */
@Injectable()
export class CreateSalesOrderUseCase {
  private readonly logger = new Logger(CreateSalesOrderUseCase.name);

  constructor(
    private readonly x3: X3Client,
    private readonly ensureCustomer: EnsureX3CustomerUseCase,
    @Inject(ORDER_CREATION_POLICIES) private readonly policies: OrderCreationPolicies,
    @Inject(SERVICE_CONFIG) private readonly config: X3OrderWriterConfig,
  ) {}

  async execute({ request, manager }: CreateSalesOrderCommand): Promise<CreateSalesOrderResult> {
    let customer: EnsuredX3Customer;
    try {
      customer = await this.ensureCustomer.execute({ manager, customer: request.customer });
    } catch (error) {
      if (!(error instanceof CustomerRefusedError)) throw error;
      return this.finish(manager, request, {
        rejected: {
          opportunityId: request.opportunityId,
          reason: 'INVALID_CUSTOMER',
          message: error.message,
          lines: [],
          rejectedAt: new Date(),
        },
      });
    }
    const observations = customer.observation ? [customer.observation] : [];
    const draft = x3SalesOrderFromRequest(request, customer.customerCode, {
      defaultSalesSite: this.config.ORDER_DEFAULT_SALES_SITE,
    });
    try {
      const result = await this.x3.createSalesOrder(draft);
      const created = this.createdOrder(result.order, result.orderNumber, request, customer, result.created);
      this.logger.log(
        {
          opportunityId: request.opportunityId,
          orderNumber: result.orderNumber,
          customer: customer.customerCode,
        },
        result.created ? 'X3 sales order created' : 'X3 sales order already existed; nothing created',
      );
      return { ...(await this.finish(manager, request, { created })), observations };
    } catch (error) {
      if (!(error instanceof X3BusinessError)) throw error;
      const rejected = salesOrderRejectedFrom({
        opportunityId: request.opportunityId,
        diagnoses: error.diagnoses,
        patterns: this.policies.salesOrders.rejections,
        lines: request.lines,
        rejectedAt: new Date(),
      }) ?? {
        opportunityId: request.opportunityId,
        reason: 'OTHER',
        message: error.message,
        lines: [],
        rejectedAt: new Date(),
      };
      this.logger.log(
        { opportunityId: request.opportunityId, reason: rejected.reason, customer: customer.customerCode },
        'X3 refused the sales order',
      );
      return { ...(await this.finish(manager, request, { rejected })), observations };
    }
  }

  /** The order as X3 holds it (x3-sales-order-to-canonical), with the opportunity and customer facts we know. */
  private createdOrder(
    order: X3Resource,
    orderNumber: string,
    request: SalesOrderRequested,
    customer: EnsuredX3Customer,
    orderCreatedNow: boolean,
  ): SalesOrderCreated {
    const facts = {
      opportunityId: request.opportunityId,
      customerCreated: orderCreatedNow && customer.source === 'created',
      customerEmail: customer.email,
    };
    const mapped = mapToCanonical(
      this.policies.x3SalesOrderToCanonical,
      order,
      TOPICS.salesOrderCreatedV1.value,
      {
        prepare: (record) => numberLines(record),
      },
    );
    if (mapped.outcome === 'mapped') return { ...mapped.value, ...facts };
    this.logger.warn(
      { orderNumber, problems: mapped.outcome === 'rejected' ? mapped.problems : [mapped.reason] },
      'the X3 order could not be read through x3-sales-order-to-canonical; replying with its number only',
    );
    return {
      orderNumber,
      x3CustomerCode: customer.customerCode,
      orderDate: request.closedAt.toISOString().slice(0, 10),
      createdAt: new Date(),
      salesSite: null,
      totalAmount: null,
      lines: [],
      ...facts,
    };
  }

  private async finish(
    manager: EntityManager,
    request: SalesOrderRequested,
    outcome: { readonly created: SalesOrderCreated } | { readonly rejected: SalesOrderRejected },
  ): Promise<CreateSalesOrderResult> {
    const reply: SalesOrderReply =
      'created' in outcome
        ? {
            opportunityId: request.opportunityId,
            outcome: 'CREATED',
            created: outcome.created,
            rejected: null,
          }
        : {
            opportunityId: request.opportunityId,
            outcome: 'REJECTED',
            created: null,
            rejected: outcome.rejected,
          };
    await manager.getRepository(OrderOutcomeEntity).save({
      opportunityId: request.opportunityId,
      outcome: reply.outcome,
      orderNumber: reply.created?.orderNumber ?? null,
      x3CustomerCode: reply.created?.x3CustomerCode ?? null,
      customerCreated: reply.created?.customerCreated ?? false,
      reason: reply.rejected?.reason ?? null,
      message: reply.rejected?.message ?? null,
      repliedAt: new Date(),
    });
    return { reply, observations: [] };
  }
}
