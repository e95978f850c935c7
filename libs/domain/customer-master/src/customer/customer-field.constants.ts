import type { SourceEntity, SourceSystem } from './customer.types.js';

export const SOURCE_SYSTEMS: readonly SourceSystem[] = ['X3', 'SALESFORCE', 'PARDOT'];

export const ENTITIES_BY_SYSTEM: Readonly<Record<SourceSystem, readonly SourceEntity[]>> = {
  X3: ['BPCUSTOMER'],
  SALESFORCE: ['Lead', 'Contact', 'Account'],
  PARDOT: ['Prospect'],
};

/**
 * The fields that survivorship decides one by one. `address` and `totalRevenue` are decided as a
 * whole (a street from one system and a postcode from another would be an address nobody has).
 * Custom fields are decided per key, as `customFields.<key>`.
 */
export const MASTERED_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'companyName',
  'phone',
  'address',
  'customerCode',
  'customerGroup',
  'currencyCode',
  'paymentTerms',
  'creditStatus',
  'totalRevenue',
  'lastPurchaseDate',
  'industrySegment',
  'pardotGrade',
  'pardotScore',
] as const;

export type MasteredField = (typeof MASTERED_FIELDS)[number];

export const CUSTOM_FIELD_PREFIX = 'customFields.';
