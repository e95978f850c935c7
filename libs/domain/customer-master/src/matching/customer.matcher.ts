import type { CustomerFields, CustomerObservation, GoldenCustomer } from '../customer/customer.types.js';
import { crossReferenceKeys, hasCrossReference } from '../golden-record/cross-references.js';
import { normaliseMatchValue } from './match-value.normaliser.js';
import type { MatchField, MatchingPolicy, MatchRule } from './matching-policy.types.js';

/** How an observation matched one golden record. */
export interface CustomerMatch {
  readonly golden: GoldenCustomer;
  /** `identity`: the source record is already cross-referenced there; otherwise the rule's name. */
  readonly via: string;
  /** Whether this evidence may merge golden records (identity, or a rule with canMerge). */
  readonly canMerge: boolean;
  readonly explanation: string;
}

/**
 * Keys under which a store finds the candidate golden records of an observation: one per rule whose
 * fields the observation knows (`email:jane@acme.com`), and its own identity (`xref:SALESFORCE:Lead:00Q…`).
 */
export function matchKeysForObservation(observation: CustomerObservation, policy: MatchingPolicy): string[] {
  return [
    identityKey(observation.sourceSystem, observation.sourceEntity, observation.sourceId),
    ...ruleKeys(observation, policy),
  ];
}

/** Keys under which a store finds the golden records cross-referencing linked records (`xref:…`). */
export function matchKeysForLinks(
  links: readonly { readonly system: string; readonly entity: string; readonly sourceId: string }[],
): string[] {
  return links.map((link) => identityKey(link.system, link.entity, link.sourceId));
}

/** Keys under which a store indexes a golden record (the same key space as {@link matchKeysForObservation}). */
export function matchKeysForGolden(golden: GoldenCustomer, policy: MatchingPolicy): string[] {
  return [
    ...crossReferenceKeys(golden.xrefs).map(({ system, entity, sourceId }) =>
      identityKey(system, entity, sourceId),
    ),
    ...ruleKeys(golden, policy),
  ];
}

/**
 * Which of the candidate golden records (found by a store through the match keys) really match the
 * observation, and how. Candidates that do not match are left out, so a store may over-fetch.
 */
export function findCustomerMatches(
  observation: CustomerObservation,
  candidates: readonly GoldenCustomer[],
  policy: MatchingPolicy,
): CustomerMatch[] {
  const matches: CustomerMatch[] = [];
  for (const golden of candidates) {
    if (
      hasCrossReference(
        golden.xrefs,
        observation.sourceSystem,
        observation.sourceEntity,
        observation.sourceId,
      )
    ) {
      matches.push({
        golden,
        via: 'identity',
        canMerge: true,
        explanation: `${observation.sourceSystem} ${observation.sourceEntity} ${observation.sourceId} is already linked to ${golden.goldenId}`,
      });
      continue;
    }
    const rule = policy.rules.find((candidateRule) =>
      ruleMatches(candidateRule, observation, golden, policy),
    );
    if (rule) {
      const values = rule.fields
        .map((field) => `${field} ${JSON.stringify(fieldValue(observation, field))}`)
        .join(' and ');
      matches.push({
        golden,
        via: rule.name,
        canMerge: rule.canMerge,
        explanation: `same ${values} as ${golden.goldenId} (rule ${rule.name})`,
      });
    }
  }
  return matches;
}

function ruleMatches(rule: MatchRule, a: CustomerFields, b: CustomerFields, policy: MatchingPolicy): boolean {
  const keyA = ruleKey(rule, a, policy);
  if (keyA === undefined || keyA !== ruleKey(rule, b, policy)) return false;
  return !rule.unlessConflicting.some((field) => {
    const left = normalised(a, field, policy);
    const right = normalised(b, field, policy);
    return left !== undefined && right !== undefined && left !== right;
  });
}

function ruleKeys(fields: CustomerFields, policy: MatchingPolicy): string[] {
  return policy.rules.flatMap((rule) => {
    const key = ruleKey(rule, fields, policy);
    return key === undefined ? [] : [key];
  });
}

function ruleKey(rule: MatchRule, fields: CustomerFields, policy: MatchingPolicy): string | undefined {
  const parts = rule.fields.map((field) => normalised(fields, field, policy));
  return parts.every((part): part is string => part !== undefined)
    ? `${rule.name}:${parts.join('|')}`
    : undefined;
}

function normalised(fields: CustomerFields, field: MatchField, policy: MatchingPolicy): string | undefined {
  const value = fieldValue(fields, field);
  if (value === undefined) return undefined;
  const result = normaliseMatchValue(field, value, policy.legalForms);
  return result === '' ? undefined : result;
}

function fieldValue(fields: CustomerFields, field: MatchField): string | undefined {
  const value = field.startsWith('address.')
    ? fields.address?.[field.slice('address.'.length) as keyof NonNullable<CustomerFields['address']>]
    : fields[field as Exclude<MatchField, `address.${string}`>];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function identityKey(system: string, entity: string, sourceId: string): string {
  return `xref:${system}:${entity}:${sourceId}`;
}
