import type { SalesOrderRequested } from '@pardot-x3/canonical';

/** An X3 sales order to create (SORDER header and SORDERQ lines, X3 field names). */
export interface X3SalesOrderDraft {
  /** CUSORDREF: the idempotency key of the order (the opportunity id unless the request names another). */
  readonly customerOrderReference: string;
  readonly header: Readonly<Record<string, string | number>>;
  readonly lines: readonly Readonly<Record<string, string | number>>[];
}

export interface X3SalesOrderOptions {
  /** Sales site (SALFCY) when the request names none; undefined lets X3 choose. */
  readonly defaultSalesSite?: string;
}

/**
 * The X3 sales order for a request, sold to `customerCode`: order date = the day the opportunity was
 * won (UTC), requested delivery date and sales site when given, the request's custom fields as further
 * header fields (X3 field names), and one line per requested line (ITMREF, QTY, and GROPRI when the
 * request prices it; without a price X3 applies its price list).
 */
export function x3SalesOrderFromRequest(
  request: SalesOrderRequested,
  customerCode: string,
  options: X3SalesOrderOptions = {},
): X3SalesOrderDraft {
  const salesSite = request.salesSite ?? options.defaultSalesSite;
  const header: Record<string, string | number> = {
    ...request.customFields,
    BPCORD: customerCode,
    ORDDAT: request.closedAt.toISOString().slice(0, 10),
    ...(request.requestedDeliveryDate ? { DEMDLVDAT: request.requestedDeliveryDate } : {}),
    ...(salesSite ? { SALFCY: salesSite } : {}),
  };
  return {
    customerOrderReference: request.customerOrderReference ?? request.opportunityId,
    header,
    lines: request.lines.map((line) => ({
      ITMREF: line.productCode,
      QTY: Number(line.quantity),
      ...(line.unitPrice !== null ? { GROPRI: Number(line.unitPrice) } : {}),
    })),
  };
}
