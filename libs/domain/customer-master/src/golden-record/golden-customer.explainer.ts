import { CUSTOM_FIELD_PREFIX, MASTERED_FIELDS } from '../customer/customer-field.constants.js';
import type { FieldProvenance, GoldenCustomer } from '../customer/customer.types.js';

export interface FieldExplanation {
  readonly field: string;
  readonly value: unknown;
  readonly provenance: FieldProvenance;
}

/** For each field of a golden record, its value, where it came from and why it has it. */
export function explainGoldenCustomer(golden: GoldenCustomer): FieldExplanation[] {
  const order = [
    ...MASTERED_FIELDS,
    ...Object.keys(golden.customFields)
      .sort()
      .map((key) => `${CUSTOM_FIELD_PREFIX}${key}`),
  ];
  return order.flatMap((field) => {
    const provenance = golden.provenance[field];
    if (!provenance) return [];
    const value = field.startsWith(CUSTOM_FIELD_PREFIX)
      ? golden.customFields[field.slice(CUSTOM_FIELD_PREFIX.length)]
      : golden[field as (typeof MASTERED_FIELDS)[number]];
    return [{ field, value, provenance }];
  });
}
