import type { ClassifiedRejectionKind, RejectionPattern } from '../policy/sales-order-policy.types.js';

/** One message of an X3 answer, from REST `$diagnoses` or GraphQL `extensions.diagnoses`. */
export interface X3Diagnosis {
  /** REST: "error" | "warning" | "info"; GraphQL: 1 info … 3 error, 4 exception. */
  readonly severity: string | number;
  readonly message: string;
}

export type SalesOrderRejectionKind = ClassifiedRejectionKind | 'unclassified';

/** Why X3 refused an order, in words a sales rep can act on. */
export interface SalesOrderRejection {
  readonly kind: SalesOrderRejectionKind;
  readonly reason: string;
  /** Product codes of the order that X3's messages name. */
  readonly productCodes: readonly string[];
  /** X3's own error messages, unchanged. */
  readonly x3Messages: readonly string[];
}

/** REST (`{"$severity":"error","$message":"721 : Record does not exist"}`) → diagnoses. */
export function diagnosesFromRest(
  diagnoses: readonly { readonly $severity?: string; readonly $message?: string }[],
): X3Diagnosis[] {
  return diagnoses.map((d) => ({ severity: d.$severity ?? 'error', message: d.$message ?? '' }));
}

/** GraphQL `errors[]` (with `extensions.diagnoses`) → diagnoses. */
export function diagnosesFromGraphql(
  errors: readonly {
    readonly message?: string;
    readonly extensions?: {
      readonly diagnoses?: readonly { readonly severity?: number; readonly message?: string }[];
    };
  }[],
): X3Diagnosis[] {
  return errors.flatMap((error) => {
    const inner = error.extensions?.diagnoses ?? [];
    return inner.length > 0
      ? inner.map((d) => ({ severity: d.severity ?? 3, message: d.message ?? '' }))
      : [{ severity: 3, message: error.message ?? '' }];
  });
}

function isError(severity: string | number): boolean {
  return typeof severity === 'number'
    ? severity >= 3
    : ['error', 'fatal', 'exception'].includes(severity.toLowerCase());
}

/**
 * Classifies X3's answer to an order creation into a typed rejection; undefined when X3 reported no
 * error. Message patterns come from config/sales-orders.yaml (X3 answers in the user's language).
 */
export function classifyX3Rejection(
  diagnoses: readonly X3Diagnosis[],
  patterns: readonly RejectionPattern[],
  orderProductCodes: readonly string[] = [],
): SalesOrderRejection | undefined {
  const messages = diagnoses
    .filter((d) => isError(d.severity))
    .map((d) => d.message.trim())
    .filter((m) => m !== '');
  if (messages.length === 0) return undefined;
  const named = orderProductCodes.filter((code) =>
    messages.some((message) =>
      new RegExp(
        `(^|[^A-Za-z0-9_-])${code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_-])`,
        'i',
      ).test(message),
    ),
  );
  const productCodes = [...new Set(named)];
  const kind =
    patterns.find((pattern) =>
      messages.some((message) => pattern.patterns.some((regex) => regex.test(message))),
    )?.kind ?? 'unclassified';
  return { kind, reason: reasonFor(kind, productCodes, messages), productCodes, x3Messages: messages };
}

function reasonFor(
  kind: SalesOrderRejectionKind,
  codes: readonly string[],
  messages: readonly string[],
): string {
  const list = codes.join(', ');
  switch (kind) {
    case 'unknown-product':
      return `Sage X3 does not know ${codes.length > 0 ? `the product code${codes.length > 1 ? 's' : ''} ${list}` : 'a product code of this order'}. Correct the product on the opportunity line (Product2 product code) or have the item created in X3, then send the order again.`;
    case 'insufficient-stock':
      return `Sage X3 has not enough stock ${codes.length > 0 ? `of ${list} ` : ''}to accept this order. Ask operations when stock arrives, or change the quantities.`;
    case 'credit-hold':
      return 'The customer is on credit hold in Sage X3 (credit limit exceeded or account blocked). Finance must release the hold before the order can be created.';
    case 'unknown-customer':
      return 'Sage X3 does not know the customer of this order. Check the account is linked to an X3 customer (ERP customer code).';
    case 'unknown-reference':
      return `Sage X3 could not find a record this order refers to (${messages.join('; ')}). Check the product codes, the customer and the currency.`;
    case 'unclassified':
      return `Sage X3 refused the order: ${messages.join('; ')}`;
  }
}
