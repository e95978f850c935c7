import type { DecimalText } from '@pardot-x3/mapping';

export interface SalesOrderLine {
  /** 1, 2, … in opportunity order. */
  readonly lineNumber: number;
  readonly lineItemId: string;
  /** X3 ITMREF. */
  readonly productCode: string;
  readonly productName?: string | null;
  /** X3 QTY, exact. */
  readonly quantity: DecimalText;
  /** X3 GROPRI, exact. */
  readonly unitPrice: DecimalText;
}

export interface SalesOrderAddress {
  readonly line1?: string | null;
  readonly line2?: string | null;
  readonly city?: string | null;
  readonly postalCode?: string | null;
  readonly countryCode?: string | null;
}

/** What x3-order-writer turns into an X3 sales order (SORDER); created at most once per `orderKey`. */
export interface SalesOrderRequest {
  /** The idempotency key of the X3 order: the opportunity id. */
  readonly orderKey: string;
  readonly opportunityId: string;
  readonly opportunityName?: string | null;
  readonly accountId: string;
  readonly accountName?: string | null;
  /** The Account's X3 customer (BPCNUM) when Salesforce holds it. */
  readonly x3CustomerCode?: string | null;
  /** X3 CUSORDREF. */
  readonly customerOrderReference?: string | null;
  /** YYYY-MM-DD. */
  readonly orderDate: string;
  /** ISO 4217; when absent the X3 customer's currency applies. */
  readonly currencyCode?: string | null;
  readonly amount?: DecimalText | null;
  /** Source modification time of the opportunity, ms. */
  readonly observedAt: number;
  readonly billingAddress?: SalesOrderAddress;
  readonly lines: readonly SalesOrderLine[];
  readonly customFields: Readonly<Record<string, string | null>>;
}
