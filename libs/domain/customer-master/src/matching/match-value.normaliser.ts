import type { MatchField } from './matching-policy.types.js';

/** Legal forms ignored when comparing company names ("Acme SARL" = "ACME"); overridable in matching.yaml. */
export const DEFAULT_LEGAL_FORMS = [
  'ltd',
  'limited',
  'plc',
  'llc',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'gmbh',
  'ag',
  'kg',
  'sarl',
  'sas',
  'sasu',
  'sa',
  'eurl',
  'sci',
  'bv',
  'nv',
  'srl',
  'spa',
  'sl',
  'oy',
  'ab',
  'as',
];

/** Normalised email: the first matching key. Trimmed, lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The form in which two values of a field are compared: case, accents, punctuation and spacing never
 * decide whether two records are the same customer.
 */
export function normaliseMatchValue(
  field: MatchField,
  value: string,
  legalForms: readonly string[] = DEFAULT_LEGAL_FORMS,
): string {
  switch (field) {
    case 'email':
      return normaliseEmail(value);
    case 'phone':
      return value.replace(/[^\d+]/g, '');
    case 'address.postalCode':
      return value.toUpperCase().replace(/[\s-]/g, '');
    case 'address.countryCode':
    case 'customerCode':
      return value.trim().toUpperCase();
    case 'companyName':
      return words(value)
        .filter((word) => !legalForms.includes(word))
        .join(' ');
    case 'firstName':
    case 'lastName':
    case 'address.city':
      return words(value).join(' ');
  }
}

function words(value: string): string[] {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\./g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}
