import type { SalesOrderReply } from '@pardot-x3/canonical';

/** What POST /orders/confirmations and GET /orders/confirmations/:opportunityId answer (JSON). */
export type ConfirmationBody =
  | {
      readonly opportunityId: string;
      readonly outcome: 'CREATED';
      readonly orderNumber: string;
      readonly x3CustomerCode: string | null;
      readonly customerCreated: boolean;
    }
  | {
      readonly opportunityId: string;
      readonly outcome: 'REJECTED';
      /** UNKNOWN_PRODUCT, INSUFFICIENT_STOCK, CREDIT_HOLD, INVALID_CUSTOMER, INVALID_REQUEST, OTHER. */
      readonly reason: string;
      readonly message: string;
      readonly lines: readonly {
        readonly lineNumber: number;
        readonly productCode: string;
        readonly reason: string;
        readonly message: string;
      }[];
    }
  | { readonly opportunityId: string; readonly outcome: 'PENDING'; readonly statusUrl: string }
  | { readonly opportunityId: string; readonly outcome: 'NOT_ELIGIBLE'; readonly reasons: readonly string[] };

export function statusUrl(opportunityId: string): string {
  return `/orders/confirmations/${encodeURIComponent(opportunityId)}`;
}

/** The answer carried by an order reply. */
export function confirmationOfReply(reply: SalesOrderReply): ConfirmationBody {
  if (reply.outcome === 'CREATED' && reply.created)
    return {
      opportunityId: reply.opportunityId,
      outcome: 'CREATED',
      orderNumber: reply.created.orderNumber,
      x3CustomerCode: reply.created.x3CustomerCode,
      customerCreated: reply.created.customerCreated,
    };
  return {
    opportunityId: reply.opportunityId,
    outcome: 'REJECTED',
    reason: reply.rejected?.reason ?? 'OTHER',
    message: reply.rejected?.message ?? 'Sage X3 refused the order',
    lines: (reply.rejected?.lines ?? []).map((line) => ({
      lineNumber: line.lineNumber,
      productCode: line.productCode,
      reason: line.reason,
      message: line.message,
    })),
  };
}
