import type { OrderLine, OrderRejectionReason, SalesOrderRejected } from '@pardot-x3/canonical';
import type { RejectionPattern } from '../policy/sales-order-policy.types.js';
import {
  classifyX3Rejection,
  type SalesOrderRejectionKind,
  type X3Diagnosis,
} from './x3-rejection.classifier.js';

const REASON_OF: Readonly<Record<SalesOrderRejectionKind, OrderRejectionReason>> = {
  'unknown-product': 'UNKNOWN_PRODUCT',
  'insufficient-stock': 'INSUFFICIENT_STOCK',
  'credit-hold': 'CREDIT_HOLD',
  'unknown-customer': 'INVALID_CUSTOMER',
  'unknown-reference': 'INVALID_REQUEST',
  unclassified: 'OTHER',
};

/** The canonical reason for a classified rejection kind. */
export function orderRejectionReason(kind: SalesOrderRejectionKind): OrderRejectionReason {
  return REASON_OF[kind];
}

export interface SalesOrderRejectedInput {
  readonly opportunityId: string;
  /** X3's answer to the order creation ($diagnoses). */
  readonly diagnoses: readonly X3Diagnosis[];
  readonly patterns: readonly RejectionPattern[];
  /** The requested lines, to say which ones X3 refused and why. */
  readonly lines: readonly Pick<OrderLine, 'lineNumber' | 'productCode' | 'quantity'>[];
  readonly rejectedAt: Date;
}

/**
 * The typed rejection of an order X3 refused: the main reason (the first matching kind of
 * config/sales-orders.yaml), a message a sales rep can act on followed by X3's own words, and one entry
 * per requested line whose product code X3's messages name, with that message's own reason.
 * Undefined when X3 reported no error (nothing was refused).
 */
export function salesOrderRejectedFrom(input: SalesOrderRejectedInput): SalesOrderRejected | undefined {
  const codes = input.lines.map((line) => line.productCode);
  const rejection = classifyX3Rejection(input.diagnoses, input.patterns, codes);
  if (!rejection) return undefined;
  const lines: SalesOrderRejected['lines'][number][] = [];
  for (const line of input.lines) {
    for (const message of rejection.x3Messages) {
      const one = classifyX3Rejection([{ severity: 'error', message }], input.patterns, [line.productCode]);
      if (!one || !one.productCodes.includes(line.productCode)) continue;
      lines.push({
        lineNumber: line.lineNumber,
        productCode: line.productCode,
        reason: orderRejectionReason(one.kind),
        message,
        requestedQuantity: line.quantity,
        availableQuantity: null,
      });
      break;
    }
  }
  return {
    opportunityId: input.opportunityId,
    reason: orderRejectionReason(rejection.kind),
    message: `${rejection.reason} (Sage X3: ${rejection.x3Messages.join('; ')})`,
    lines,
    rejectedAt: input.rejectedAt,
  };
}
