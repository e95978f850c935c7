/** Customer fields a matching rule may compare. */
export const MATCH_FIELDS = [
  'email',
  'companyName',
  'address.postalCode',
  'address.city',
  'address.countryCode',
  'phone',
  'firstName',
  'lastName',
  'customerCode',
] as const;

export type MatchField = (typeof MATCH_FIELDS)[number];

export interface MatchRule {
  /** kebab-case, shown in explanations and match keys. */
  readonly name: string;
  /** Two records match when every one of these is known on both and equal once normalised. */
  readonly fields: readonly MatchField[];
  /**
   * May this rule join two golden records into one? Strong evidence (normalised email) may; weak
   * evidence (company + postcode) attaches a record to a golden record but never merges golden records.
   */
  readonly canMerge: boolean;
  /** The rule does not apply when both records know one of these and they differ (two colleagues at one site). */
  readonly unlessConflicting: readonly MatchField[];
}

export interface MatchingPolicy {
  readonly version: number;
  /** In priority order; the first that matches is the one reported. */
  readonly rules: readonly MatchRule[];
  readonly legalForms: readonly string[];
}
