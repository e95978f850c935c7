import { Inject, Injectable } from '@nestjs/common';
import type { SalesOrderRequested, SourceRecordChanged } from '@pardot-x3/canonical';
import { MappingCatalog, sourceRecordInput } from '@pardot-x3/mapping';
import { NonRetriableError } from '@pardot-x3/messaging';
import {
  buildSalesOrderRequest,
  toSalesOrderRequested,
  type SalesOrderEligibility,
} from '@pardot-x3/sales-orders';

/** Injection token of the Closed-Won rule (config/sales-orders.yaml, `eligibility`). */
export const SALES_ORDER_ELIGIBILITY = Symbol.for('transformer.sales-order-eligibility');

/** Opportunity fields pardot-x3 itself writes back (the X3 order outcome): a change of only these is our echo. */
export const ORDER_OUTCOME_FIELDS = [
  'X3_Order_Number__c',
  'X3_Order_Status__c',
  'X3_Order_Message__c',
] as const;

export type OrderRequestOutcome =
  | { readonly outcome: 'request'; readonly request: SalesOrderRequested; readonly templateId: string }
  | { readonly outcome: 'not-eligible'; readonly reasons: readonly string[] };

/**
 * A Salesforce Opportunity (with its line items) → a sales-order request, when it is Closed Won with
 * product lines and not ordered yet (config/sales-orders.yaml and the opportunity-to-sales-order-request
 * template). A won opportunity whose data cannot make an order is refused with every problem
 * (`NonRetriableError`: parked in the dead-letter topic, where an operator sees why).
 */
@Injectable()
export class RequestSalesOrderUseCase {
  constructor(
    private readonly catalog: MappingCatalog,
    @Inject(SALES_ORDER_ELIGIBILITY) private readonly eligibility: SalesOrderEligibility,
  ) {}

  execute(change: SourceRecordChanged): OrderRequestOutcome {
    if (change.changeType === 'DELETED')
      return { outcome: 'not-eligible', reasons: ['the opportunity was deleted'] };
    if (
      change.changedFields.length > 0 &&
      change.changedFields.every((field) => (ORDER_OUTCOME_FIELDS as readonly string[]).includes(field))
    )
      return {
        outcome: 'not-eligible',
        reasons: ['only the X3 order outcome pardot-x3 writes back changed'],
      };
    const template = this.catalog.get('opportunity-to-sales-order-request');
    const opportunity = sourceRecordInput(change, {
      lines: { OpportunityLineItem: { into: 'OpportunityLineItems', shape: 'soql' } },
    });
    const built = buildSalesOrderRequest(opportunity, template, this.eligibility);
    if (built.outcome === 'not-eligible') return { outcome: 'not-eligible', reasons: built.reasons };
    if (built.outcome === 'invalid')
      throw new NonRetriableError(
        `${built.templateId} cannot make an order of Opportunity ${change.recordId}: ${built.problems.join('; ')}`,
      );
    const requested = toSalesOrderRequested(built.request);
    if (!requested.ok)
      throw new NonRetriableError(
        `Opportunity ${change.recordId} makes no valid order request: ${requested.problems.join('; ')}`,
      );
    return { outcome: 'request', request: requested.value, templateId: built.templateId };
  }
}
