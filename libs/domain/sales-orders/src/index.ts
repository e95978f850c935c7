// Sales orders: the Closed-Won rule, sales-order requests from opportunities, X3 customer financial
// defaults and typed rejections from X3's answers.
export type {
  SalesOrderPolicy,
  SalesOrderEligibility,
  RejectionPattern,
  ClassifiedRejectionKind,
} from './policy/sales-order-policy.types.js';
export { REJECTION_KINDS } from './policy/sales-order-policy.types.js';
export { parseSalesOrderPolicy } from './policy/sales-order-policy.parser.js';
export {
  evaluateClosedWonRule,
  opportunityLineItems,
  type EligibilityOutcome,
} from './eligibility/closed-won.rule.js';
export type {
  SalesOrderRequest,
  SalesOrderLine,
  SalesOrderAddress,
} from './order-request/sales-order-request.types.js';
export {
  buildSalesOrderRequest,
  type SalesOrderRequestOutcome,
} from './order-request/sales-order-request.builder.js';
export {
  parseX3CustomerDefaults,
  planX3Customer,
  type X3CustomerDefaults,
  type X3FinancialDefaults,
  type X3CustomerPlan,
  type X3CustomerPlanInput,
  type AppliedDefault,
} from './customer-defaults/x3-customer-defaults.policy.js';
export {
  classifyX3Rejection,
  diagnosesFromRest,
  diagnosesFromGraphql,
  type X3Diagnosis,
  type SalesOrderRejection,
  type SalesOrderRejectionKind,
} from './rejections/x3-rejection.classifier.js';
export { toSalesOrderRequested } from './order-request/sales-order-requested.converter.js';
export {
  x3SalesOrderFromRequest,
  type X3SalesOrderDraft,
  type X3SalesOrderOptions,
} from './x3-order/x3-sales-order.builder.js';
export {
  salesOrderRejectedFrom,
  orderRejectionReason,
  type SalesOrderRejectedInput,
} from './rejections/sales-order-rejected.builder.js';
export {
  orderRequestOfOpportunity,
  ORDER_OUTCOME_FIELDS,
  type OpportunityOrderRequest,
} from './order-request/opportunity-order-request.js';
