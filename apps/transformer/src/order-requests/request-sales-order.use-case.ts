import { Inject, Injectable } from '@nestjs/common';
import type { SourceRecordChanged } from '@pardot-x3/canonical';
import { MappingCatalog } from '@pardot-x3/mapping';
import { NonRetriableError } from '@pardot-x3/messaging';
import {
  orderRequestOfOpportunity,
  type OpportunityOrderRequest,
  type SalesOrderEligibility,
} from '@pardot-x3/sales-orders';

/** Injection token of the Closed-Won rule (config/sales-orders.yaml, `eligibility`). */
export const SALES_ORDER_ELIGIBILITY = Symbol.for('transformer.sales-order-eligibility');

/**
 * A Salesforce Opportunity (with its line items) → a sales-order request, when it is Closed Won with
 * product lines and not ordered yet (config/sales-orders.yaml and the opportunity-to-sales-order-request
 * template); our own write-back of the outcome requests nothing. A won opportunity whose data cannot
 * make an order is refused with every problem (`NonRetriableError`: parked in the dead-letter topic,
 * where an operator sees why).
 */
@Injectable()
export class RequestSalesOrderUseCase {
  constructor(
    private readonly catalog: MappingCatalog,
    @Inject(SALES_ORDER_ELIGIBILITY) private readonly eligibility: SalesOrderEligibility,
  ) {}

  execute(change: SourceRecordChanged): Exclude<OpportunityOrderRequest, { outcome: 'invalid' }> {
    const result = orderRequestOfOpportunity(
      change,
      this.catalog.get('opportunity-to-sales-order-request'),
      this.eligibility,
    );
    if (result.outcome === 'invalid')
      throw new NonRetriableError(
        `Opportunity ${change.recordId} cannot make an X3 order: ${result.problems.join('; ')}`,
      );
    return result;
  }
}
