import type {
  CustomerMerged,
  FieldProvenance as CanonicalFieldProvenance,
  GoldenCustomer as CanonicalGoldenCustomer,
} from '@pardot-x3/canonical';
import { CUSTOM_FIELD_PREFIX, ENTITIES_BY_SYSTEM } from '../customer/customer-field.constants.js';
import type {
  FieldProvenance,
  GoldenCustomer,
  SourceEntity,
  SurvivorshipRuleKind,
} from '../customer/customer.types.js';
import type { CustomerMergeEvent } from '../golden-record/customer-master-decision.types.js';
import {
  addressFromCanonical,
  addressToCanonical,
  moneyFromCanonical,
  moneyToCanonical,
  CANONICAL_SCALAR_FIELDS,
} from './canonical-values.util.js';

const RULES: readonly SurvivorshipRuleKind[] = ['system-of-record', 'last-writer-wins', 'source-priority'];

/**
 * A golden record in the canonical Avro form of `customer.golden-record.mastered.v1`. A field the
 * golden record does not know is null without provenance; a field a source cleared is null **with**
 * provenance (the source that cleared it), so consumers can tell "leave it" from "empty it". Cleared
 * custom fields are absent from `customFields` and present in `provenance`.
 */
export function goldenCustomerToCanonical(golden: GoldenCustomer): CanonicalGoldenCustomer {
  const scalars: Record<string, string | number | null> = {};
  for (const field of CANONICAL_SCALAR_FIELDS) scalars[field] = golden[field] ?? null;
  const customFields: Record<string, string> = {};
  for (const [key, value] of Object.entries(golden.customFields))
    if (value !== null) customFields[key] = value;
  const provenance: Record<string, CanonicalFieldProvenance> = {};
  for (const [field, p] of Object.entries(golden.provenance)) {
    provenance[field] = {
      system: p.system,
      sourceEntity: p.entity,
      sourceId: p.sourceId,
      observedAt: new Date(p.observedAt),
      rule: p.rule,
      explanation: p.explanation,
    };
  }
  return {
    goldenId: golden.goldenId,
    version: golden.version,
    updatedAt: new Date(golden.updatedAt),
    createdAt: new Date(golden.createdAt),
    ...(scalars as Pick<CanonicalGoldenCustomer, (typeof CANONICAL_SCALAR_FIELDS)[number]>),
    address: golden.address ? addressToCanonical(golden.address).value : null,
    totalRevenue: golden.totalRevenue ? moneyToCanonical(golden.totalRevenue) : null,
    customFields,
    xrefs: {
      x3CustomerCodes: [...golden.xrefs.x3CustomerCodes],
      salesforceLeadIds: [...golden.xrefs.salesforceLeadIds],
      salesforceContactIds: [...golden.xrefs.salesforceContactIds],
      salesforceAccountIds: [...golden.xrefs.salesforceAccountIds],
      pardotProspectIds: [...golden.xrefs.pardotProspectIds],
    },
    provenance,
    mergedFrom: [...golden.mergedFrom],
  };
}

/**
 * The canonical golden record as the domain reads it (for consumers such as the writers): null with
 * provenance is cleared, null without is unknown; amounts in minimal decimal text. `createdAt` falls
 * back to `updatedAt` for records written before the field existed.
 */
export function goldenCustomerFromCanonical(value: CanonicalGoldenCustomer): GoldenCustomer {
  const known = (field: string): boolean => Object.hasOwn(value.provenance, field);
  const fields: Record<string, unknown> = {};
  for (const field of CANONICAL_SCALAR_FIELDS) {
    const v = value[field];
    if (v !== null) fields[field] = v;
    else if (known(field)) fields[field] = null;
  }
  if (value.address !== null) fields['address'] = addressFromCanonical(value.address, () => false);
  else if (known('address')) fields['address'] = null;
  if (value.totalRevenue !== null) fields['totalRevenue'] = moneyFromCanonical(value.totalRevenue);
  else if (known('totalRevenue')) fields['totalRevenue'] = null;
  const customFields: Record<string, string | null> = { ...value.customFields };
  for (const field of Object.keys(value.provenance))
    if (field.startsWith(CUSTOM_FIELD_PREFIX) && !(field.slice(CUSTOM_FIELD_PREFIX.length) in customFields))
      customFields[field.slice(CUSTOM_FIELD_PREFIX.length)] = null;
  const provenance: Record<string, FieldProvenance> = {};
  for (const [field, p] of Object.entries(value.provenance)) {
    provenance[field] = {
      system: p.system,
      entity: sourceEntityOf(p.system, p.sourceEntity),
      sourceId: p.sourceId,
      observedAt: p.observedAt.getTime(),
      rule: RULES.includes(p.rule as SurvivorshipRuleKind)
        ? (p.rule as SurvivorshipRuleKind)
        : 'last-writer-wins',
      explanation: p.explanation ?? '',
    };
  }
  return {
    goldenId: value.goldenId,
    version: value.version,
    createdAt: (value.createdAt ?? value.updatedAt).getTime(),
    updatedAt: value.updatedAt.getTime(),
    ...fields,
    customFields,
    xrefs: {
      x3CustomerCodes: [...value.xrefs.x3CustomerCodes],
      salesforceLeadIds: [...value.xrefs.salesforceLeadIds],
      salesforceContactIds: [...value.xrefs.salesforceContactIds],
      salesforceAccountIds: [...value.xrefs.salesforceAccountIds],
      pardotProspectIds: [...value.xrefs.pardotProspectIds],
    },
    provenance,
    mergedFrom: [...value.mergedFrom],
  };
}

function sourceEntityOf(system: FieldProvenance['system'], entity: string): SourceEntity {
  const entities = ENTITIES_BY_SYSTEM[system];
  const found = entities.find((e) => e === entity);
  if (!found)
    throw new Error(`provenance names ${system} ${entity}, which is not a customer source of ${system}`);
  return found;
}

/**
 * The merge events of one decision as `customer.golden-record.merged.v1` records: one per survivor,
 * listing every golden record it absorbed. `matchRule` is the rule that joined them (`identity`, or a
 * matching rule such as `normalised-email`); `mergedAt` when mdm merged them.
 */
export function customerMergedToCanonical(
  events: readonly CustomerMergeEvent[],
  details: { readonly mergedAt: Date },
): CustomerMerged[] {
  const bySurvivor = new Map<string, CustomerMergeEvent[]>();
  for (const event of events) {
    const list = bySurvivor.get(event.survivorGoldenId) ?? [];
    list.push(event);
    bySurvivor.set(event.survivorGoldenId, list);
  }
  return [...bySurvivor.entries()].map(([survivorGoldenId, merged]) => ({
    survivorGoldenId,
    absorbedGoldenIds: merged.map((event) => event.mergedGoldenId),
    mergedAt: details.mergedAt,
    matchRule: [...new Set(merged.map((event) => event.matchRules.join(', ') || 'identity'))].join(', '),
    explanation: merged.map((event) => event.reason).join('; '),
  }));
}
