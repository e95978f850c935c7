import { TOPICS, type SalesOrderRequested } from '@pardot-x3/canonical';
import { toCanonicalValue, type CanonicalConversion } from '@pardot-x3/mapping';
import type { SalesOrderRequest } from './sales-order-request.types.js';

/**
 * The canonical order request (`sales.order.requested.v1`) for a request built by
 * {@link buildSalesOrderRequest}: the customer to find or create (the Account's name, X3 code and
 * billing address), the lines with their OpportunityLineItem ids, and the amount to reconcile with
 * the X3 order. The customer order reference stays null: X3 gets the opportunity id (the idempotency key).
 */
export function toSalesOrderRequested(request: SalesOrderRequest): CanonicalConversion<SalesOrderRequested> {
  const problems: string[] = [];
  const currencyCode = request.currencyCode ?? null;
  if (currencyCode === null)
    problems.push('currencyCode is required; the opportunity template must map it (or give a default)');
  const address = request.billingAddress;
  const amount = request.amount ?? lineTotal(request);
  if (amount === undefined) problems.push('the opportunity has no amount and its lines cannot be totalled');
  if (problems.length > 0) return { ok: false, problems };
  return toCanonicalValue(TOPICS.salesOrderRequestedV1.value, {
    opportunityId: request.opportunityId,
    opportunityName: request.opportunityName ?? null,
    closedAt: request.observedAt,
    customer: {
      x3CustomerCode: request.x3CustomerCode ?? null,
      goldenId: null,
      salesforceAccountId: request.accountId,
      // Needed only when the customer must be created; x3-order-writer refuses that without a name.
      companyName: request.accountName ?? '',
      billingAddress: address
        ? {
            line1: address.line1 ?? null,
            line2: address.line2 ?? null,
            city: address.city ?? null,
            postalCode: address.postalCode ?? null,
            countryCode: address.countryCode ?? null,
          }
        : null,
    },
    currencyCode,
    customerOrderReference: null,
    lines: request.lines.map((line) => ({
      lineNumber: line.lineNumber,
      sourceLineId: line.lineItemId === '' ? null : line.lineItemId,
      productCode: line.productCode,
      description: line.productName ?? null,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
    })),
    totalAmount: { amount, currencyCode },
    customFields: Object.fromEntries(
      Object.entries(request.customFields).filter((entry): entry is [string, string] => entry[1] !== null),
    ),
  });
}

/** Σ quantity × unit price, exactly (decimal text, scaled integers): the amount when the opportunity has none. */
function lineTotal(request: SalesOrderRequest): string | undefined {
  let total = 0n;
  let scale = 0;
  for (const line of request.lines) {
    const quantity = scaled(line.quantity);
    const price = scaled(line.unitPrice);
    if (!quantity || !price) return undefined;
    const lineScale = quantity.scale + price.scale;
    const product = quantity.units * price.units;
    if (lineScale > scale) {
      total *= 10n ** BigInt(lineScale - scale);
      scale = lineScale;
    }
    total += product * 10n ** BigInt(scale - lineScale);
  }
  return formatScaled(total, scale);
}

function scaled(text: string): { units: bigint; scale: number } | undefined {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, sign = '', whole = '0', fraction = ''] = match;
  return { units: BigInt(`${sign}${whole}${fraction}`), scale: fraction.length };
}

function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
