/**
 * Where a golden customer is written: the Pardot prospect (one per golden record, found by the
 * cross-referenced prospect ids or by email), and each cross-referenced Salesforce Contact and Account.
 */
export type CustomerWriteTarget = 'pardot-prospect' | 'salesforce-contact' | 'salesforce-account';

export const CUSTOMER_WRITE_TARGETS: readonly CustomerWriteTarget[] = [
  'pardot-prospect',
  'salesforce-contact',
  'salesforce-account',
];

/** The mapping template of each target (`config/mappings/<name>.yaml`). */
export const TEMPLATE_OF_TARGET: Readonly<Record<CustomerWriteTarget, string>> = {
  'pardot-prospect': 'golden-to-pardot-prospect',
  'salesforce-contact': 'golden-to-salesforce-contact',
  'salesforce-account': 'golden-to-salesforce-account',
};

/** Field values to write (API names → values; null clears a field). */
export type WritePayload = Readonly<Record<string, unknown>>;
