import type { MonetaryAmount, PostalAddress } from '@pardot-x3/canonical';
import type { CustomerAddress, MoneyAmount } from '../customer/customer.types.js';

/** The parts of an address, in the order of the canonical PostalAddress. */
export const ADDRESS_PARTS = ['line1', 'line2', 'city', 'postalCode', 'region', 'countryCode'] as const;

/** Scale of `MonetaryAmount.amount` in the Avro contract. */
const AVRO_MONEY_SCALE = 4;

/**
 * A decimal text in its minimal form (the domain's form): `1250.5000` → `1250.5`, `3.0` → `3`,
 * `-0.00` → `0`. Survivorship compares values as text, so both sides must be written alike.
 */
export function minimalDecimal(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a decimal number`);
  const [, sign = '', whole = '0', fraction = ''] = match;
  const wholeDigits = whole.replace(/^0+(?=\d)/, '');
  const fractionDigits = fraction.replace(/0+$/, '');
  const zero = /^0*$/.test(wholeDigits) && fractionDigits === '';
  return `${sign === '-' && !zero ? '-' : ''}${wholeDigits}${fractionDigits ? `.${fractionDigits}` : ''}`;
}

/**
 * A domain amount as the Avro contract writes it (scale 4). An amount with more than 4 decimals
 * cannot be carried exactly and is refused, never rounded.
 */
export function moneyToCanonical(money: MoneyAmount): MonetaryAmount {
  const amount = minimalDecimal(money.amount);
  const fraction = amount.split('.')[1] ?? '';
  if (fraction.length > AVRO_MONEY_SCALE)
    throw new RangeError(
      `totalRevenue ${amount} has more than ${AVRO_MONEY_SCALE} decimals; the canonical contract carries amounts exact to ${AVRO_MONEY_SCALE}`,
    );
  return { amount, currencyCode: money.currencyCode };
}

export function moneyFromCanonical(money: MonetaryAmount): MoneyAmount {
  return { amount: minimalDecimal(money.amount), currencyCode: money.currencyCode };
}

/** Which parts of a domain address are cleared (null) — the Avro record cannot tell them from unknown. */
export function addressToCanonical(address: CustomerAddress): {
  value: PostalAddress;
  clearedParts: string[];
} {
  const clearedParts = ADDRESS_PARTS.filter((part) => address[part] === null);
  return {
    value: {
      line1: address.line1 ?? null,
      line2: address.line2 ?? null,
      city: address.city ?? null,
      postalCode: address.postalCode ?? null,
      region: address.region ?? null,
      countryCode: address.countryCode ?? null,
    },
    clearedParts,
  };
}

/** An Avro address as a domain address: a null part is cleared when `isCleared(part)` says so, else unknown. */
export function addressFromCanonical(
  address: PostalAddress,
  isCleared: (part: (typeof ADDRESS_PARTS)[number]) => boolean,
): CustomerAddress {
  const out: Record<string, string | null> = {};
  for (const part of ADDRESS_PARTS) {
    const value = address[part];
    if (value !== null) out[part] = value;
    else if (isCleared(part)) out[part] = null;
  }
  return out as CustomerAddress;
}

/** The scalar business fields, whose domain and canonical forms are the same value (address and money differ). */
export const CANONICAL_SCALAR_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'companyName',
  'phone',
  'customerCode',
  'customerGroup',
  'currencyCode',
  'paymentTerms',
  'creditStatus',
  'lastPurchaseDate',
  'industrySegment',
  'pardotGrade',
  'pardotScore',
] as const;
