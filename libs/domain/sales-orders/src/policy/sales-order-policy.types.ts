export const REJECTION_KINDS = [
  'unknown-product',
  'insufficient-stock',
  'credit-hold',
  'unknown-customer',
  'unknown-reference',
] as const;

export type ClassifiedRejectionKind = (typeof REJECTION_KINDS)[number];

/** Which opportunities become X3 sales orders. */
export interface SalesOrderEligibility {
  /** Stage names that mean won (orgs rename "Closed Won"); `IsWon: true` counts too. */
  readonly wonStageNames: readonly string[];
  readonly requireLineItems: boolean;
  /** Every line must carry a product (Product2Id or a product code). */
  readonly requireProducts: boolean;
}

/** X3 messages (language-dependent) that mean one kind of rejection; the first kind whose pattern matches wins. */
export interface RejectionPattern {
  readonly kind: ClassifiedRejectionKind;
  readonly patterns: readonly RegExp[];
}

export interface SalesOrderPolicy {
  readonly version: number;
  readonly eligibility: SalesOrderEligibility;
  readonly rejections: readonly RejectionPattern[];
}
