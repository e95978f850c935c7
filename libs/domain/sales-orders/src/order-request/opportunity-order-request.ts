import type { SalesOrderRequested, SourceRecordChanged } from '@pardot-x3/canonical';
import { sourceRecordInput, type MappingTemplate } from '@pardot-x3/mapping';
import type { SalesOrderEligibility } from '../policy/sales-order-policy.types.js';
import { buildSalesOrderRequest } from './sales-order-request.builder.js';
import { toSalesOrderRequested } from './sales-order-requested.converter.js';

/** Opportunity fields pardot-x3 itself writes back (the X3 order outcome): a change of only these is our echo. */
export const ORDER_OUTCOME_FIELDS = [
  'X3_Order_Number__c',
  'X3_Order_Status__c',
  'X3_Order_Message__c',
] as const;

export type OpportunityOrderRequest =
  | { readonly outcome: 'request'; readonly request: SalesOrderRequested; readonly templateId: string }
  /** Not an order (yet), or not again: the reasons say why. */
  | { readonly outcome: 'not-eligible'; readonly reasons: readonly string[] }
  /** Won, but its data cannot make an order: every problem. */
  | { readonly outcome: 'invalid'; readonly problems: readonly string[] };

/**
 * The order request of an Opportunity as salesforce-ingest delivers it (a source event with the
 * Account's fields and the line items): nothing for a deleted one or for a change of only the X3
 * outcome fields we write back; else the Closed-Won rule, the opportunity-to-sales-order-request
 * template (which leaves out an opportunity that already carries its X3 order number) and the
 * canonical request. One path for the transformer and the synchronous confirmation endpoint.
 */
export function orderRequestOfOpportunity(
  change: Pick<SourceRecordChanged, 'recordId' | 'changeType' | 'changedFields' | 'fields' | 'lines'>,
  template: MappingTemplate,
  eligibility: SalesOrderEligibility,
): OpportunityOrderRequest {
  if (change.changeType === 'DELETED')
    return { outcome: 'not-eligible', reasons: ['the opportunity was deleted'] };
  if (
    change.changedFields.length > 0 &&
    change.changedFields.every((field) => (ORDER_OUTCOME_FIELDS as readonly string[]).includes(field))
  )
    return { outcome: 'not-eligible', reasons: ['only the X3 order outcome pardot-x3 writes back changed'] };
  const opportunity = sourceRecordInput(change, {
    lines: { OpportunityLineItem: { into: 'OpportunityLineItems', shape: 'soql' } },
  });
  const built = buildSalesOrderRequest(opportunity, template, eligibility);
  if (built.outcome === 'not-eligible') return { outcome: 'not-eligible', reasons: built.reasons };
  if (built.outcome === 'invalid')
    return {
      outcome: 'invalid',
      problems: built.problems.map((problem) => `${problem} (${built.templateId})`),
    };
  const requested = toSalesOrderRequested(built.request);
  if (!requested.ok) return { outcome: 'invalid', problems: requested.problems };
  return { outcome: 'request', request: requested.value, templateId: built.templateId };
}
