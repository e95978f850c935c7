import type {
  CustomerObservation as CanonicalCustomerObservation,
  ExternalReference,
  QuarantinedField,
} from '@pardot-x3/canonical';
import type { CustomerObservation } from '../customer/customer.types.js';
import {
  addressFromCanonical,
  addressToCanonical,
  moneyFromCanonical,
  moneyToCanonical,
  CANONICAL_SCALAR_FIELDS,
} from './canonical-values.util.js';
import { CUSTOM_FIELD_PREFIX } from '../customer/customer-field.constants.js';

/** What a canonical observation carries beside the domain observation. */
export interface CanonicalObservationExtras {
  /** The source record was deleted; the fields are its last known values. */
  readonly deleted: boolean;
  /** The same person or company in other systems, as the source knows it. */
  readonly links: readonly ExternalReference[];
  /** Optional fields the mapping template left out because their values were invalid (ADR 0135). */
  readonly quarantinedFields: readonly QuarantinedField[];
}

/**
 * A domain observation (a mapping template's output, checked by `parseCustomerObservation`) in the
 * canonical Avro form of `customer.observation.recorded.v1`. The domain tells unknown (absent) from
 * cleared (null); Avro has only null, so cleared fields are listed in `clearedFields` (address parts as
 * `address.<part>`, custom fields as `customFields.<name>`).
 */
export function customerObservationToCanonical(
  observation: CustomerObservation,
  extras: Partial<CanonicalObservationExtras> = {},
): CanonicalCustomerObservation {
  const cleared: string[] = [];
  const scalars: Record<string, string | number | null> = {};
  for (const field of CANONICAL_SCALAR_FIELDS) {
    const value = observation[field];
    if (value === null) cleared.push(field);
    scalars[field] = value ?? null;
  }
  let address: CanonicalCustomerObservation['address'] = null;
  if (observation.address === null) cleared.push('address');
  else if (observation.address !== undefined) {
    const converted = addressToCanonical(observation.address);
    address = converted.value;
    cleared.push(...converted.clearedParts.map((part) => `address.${part}`));
  }
  let totalRevenue: CanonicalCustomerObservation['totalRevenue'] = null;
  if (observation.totalRevenue === null) cleared.push('totalRevenue');
  else if (observation.totalRevenue !== undefined) totalRevenue = moneyToCanonical(observation.totalRevenue);
  const customFields: Record<string, string> = {};
  for (const [key, value] of Object.entries(observation.customFields ?? {})) {
    if (value === null) cleared.push(`${CUSTOM_FIELD_PREFIX}${key}`);
    else customFields[key] = value;
  }
  return {
    sourceSystem: observation.sourceSystem,
    sourceEntity: observation.sourceEntity,
    sourceId: observation.sourceId,
    observedAt: new Date(observation.observedAt),
    deleted: extras.deleted ?? false,
    ...(scalars as Pick<CanonicalCustomerObservation, (typeof CANONICAL_SCALAR_FIELDS)[number]>),
    address,
    totalRevenue,
    customFields,
    clearedFields: cleared,
    links: [...(extras.links ?? [])],
    quarantinedFields: [...(extras.quarantinedFields ?? [])],
  };
}

/**
 * The canonical observation as the domain reads it: a null field is cleared when `clearedFields`
 * lists it, unknown (absent) otherwise; amounts in minimal decimal text (`1250.5000` → `1250.5`), so
 * survivorship compares them with the values already in golden records.
 */
export function customerObservationFromCanonical(value: CanonicalCustomerObservation): {
  observation: CustomerObservation;
  extras: CanonicalObservationExtras;
} {
  const cleared = new Set(value.clearedFields);
  const fields: Record<string, unknown> = {};
  for (const field of CANONICAL_SCALAR_FIELDS) {
    const v = value[field];
    if (v !== null) fields[field] = v;
    else if (cleared.has(field)) fields[field] = null;
  }
  if (value.address !== null)
    fields['address'] = addressFromCanonical(value.address, (part) => cleared.has(`address.${part}`));
  else if (cleared.has('address')) fields['address'] = null;
  if (value.totalRevenue !== null) fields['totalRevenue'] = moneyFromCanonical(value.totalRevenue);
  else if (cleared.has('totalRevenue')) fields['totalRevenue'] = null;
  const customFields: Record<string, string | null> = { ...value.customFields };
  for (const name of cleared)
    if (name.startsWith(CUSTOM_FIELD_PREFIX) && !(name.slice(CUSTOM_FIELD_PREFIX.length) in customFields))
      customFields[name.slice(CUSTOM_FIELD_PREFIX.length)] = null;
  if (Object.keys(customFields).length > 0) fields['customFields'] = customFields;
  const observation = {
    sourceSystem: value.sourceSystem,
    sourceEntity: value.sourceEntity,
    sourceId: value.sourceId,
    observedAt: value.observedAt.getTime(),
    ...fields,
  } as CustomerObservation;
  return {
    observation,
    extras: { deleted: value.deleted, links: value.links, quarantinedFields: value.quarantinedFields },
  };
}
