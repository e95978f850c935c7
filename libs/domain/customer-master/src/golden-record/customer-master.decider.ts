import {
  CUSTOM_FIELD_PREFIX,
  ENTITIES_BY_SYSTEM,
  MASTERED_FIELDS,
  type MasteredField,
} from '../customer/customer-field.constants.js';
import type { CustomerObservation, GoldenCustomer } from '../customer/customer.types.js';
import { findCustomerMatches, type CustomerMatch } from '../matching/customer.matcher.js';
import {
  canonicalJson,
  chooseSurvivor,
  compareCandidates,
  explainLoss,
  isEligible,
  provenanceOf,
  type FieldCandidate,
  type ValueSource,
} from '../survivorship/field-survivorship.js';
import type { SurvivorshipPolicy, SurvivorshipRule } from '../survivorship/survivorship-policy.types.js';
import {
  addCrossReference,
  hasCrossReference,
  NO_CROSS_REFERENCES,
  unionCrossReferences,
} from './cross-references.js';
import type {
  CustomerLink,
  CustomerMasterDecision,
  CustomerMasterInput,
  CustomerMergeEvent,
  FieldDecision,
} from './customer-master-decision.types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type GoldenDraft = Mutable<GoldenCustomer> & {
  customFields: Record<string, string | null>;
  provenance: Record<string, GoldenCustomer['provenance'][string]>;
};

/**
 * The customer-master decision for one observation: match it against the candidate golden records,
 * then create, update or merge, with per-field survivorship, provenance and explanations. Pure and
 * deterministic: the same observations give the same golden values whatever order they arrive in.
 */
export function decideCustomerMaster(input: CustomerMasterInput): CustomerMasterDecision {
  const { observation, policies } = input;
  const ruled = findCustomerMatches(observation, input.candidates, policies.matching);
  const linked = linkMatches(observation, input.candidates, input.links ?? [], ruled);
  const strong = uniqueByGolden(ruled.filter((match) => match.canMerge));
  // A record the source itself names comes before a golden record that only looks alike.
  const weak = [
    ...uniqueByGolden(linked),
    ...uniqueByGolden(
      ruled.filter(
        (match) => !match.canMerge && !strong.some((s) => s.golden.goldenId === match.golden.goldenId),
      ),
    ),
  ];

  let targets: CustomerMatch[];
  let ambiguous: string[] = [];
  if (strong.length > 0) targets = strong;
  else if (weak.length > 0) {
    targets = [weak[0] as CustomerMatch];
    ambiguous = weak.slice(1).map((match) => match.golden.goldenId);
  } else targets = [];

  if (targets.length === 0) {
    const empty: GoldenCustomer = {
      goldenId: input.newGoldenId(),
      version: 0,
      createdAt: observation.observedAt,
      updatedAt: observation.observedAt,
      customFields: {},
      xrefs: NO_CROSS_REFERENCES,
      provenance: {},
      mergedFrom: [],
    };
    const { golden, decisions } = applyObservation(empty, observation, policies.survivorship);
    const changedFields = decisions.filter((d) => d.outcome === 'taken').map((d) => d.field);
    return {
      action: 'create',
      publish: true,
      golden: { ...golden, version: 1 },
      retiredGoldenIds: [],
      mergeEvents: [],
      changedFields,
      fieldDecisions: decisions,
      ambiguousGoldenIds: [],
      explanation: `no golden record matches ${describeSource(observation)}; created ${golden.goldenId}`,
    };
  }

  const [survivorMatch, ...absorbedMatches] = targets;
  const survivor = (survivorMatch as CustomerMatch).golden;
  let merged: GoldenCustomer = survivor;
  for (const match of absorbedMatches) merged = mergeGoldens(merged, match.golden, policies.survivorship);
  const { golden, decisions } = applyObservation(merged, observation, policies.survivorship);

  const changedFields = changedBusinessFields(survivor, golden);
  const mergeEvents: CustomerMergeEvent[] = absorbedMatches.map((match) => ({
    survivorGoldenId: survivor.goldenId,
    mergedGoldenId: match.golden.goldenId,
    // What made them one customer: the rules that matched (an observation always matches its own
    // golden record by identity; the rule that matched the other one is the news).
    matchRules: [
      ...new Set(
        ruled
          .filter(
            (m) =>
              (m.golden.goldenId === survivor.goldenId || m.golden.goldenId === match.golden.goldenId) &&
              m.via !== 'identity',
          )
          .map((m) => m.via),
      ),
    ],
    reason: `${describeSource(observation)} matches both: ${(survivorMatch as CustomerMatch).explanation}; ${match.explanation}`,
    triggeredBy: {
      system: observation.sourceSystem,
      entity: observation.sourceEntity,
      sourceId: observation.sourceId,
      observedAt: observation.observedAt,
    },
  }));
  const changed = canonicalJson({ ...golden, version: 0 }) !== canonicalJson({ ...survivor, version: 0 });
  const action = absorbedMatches.length > 0 ? 'merge' : changed ? 'update' : 'unchanged';
  // A new version only for what a target sees: a value, a cross-reference, a merge. A newer time or
  // provenance alone (the same value again from another record or later) is kept silently.
  const publish =
    absorbedMatches.length > 0 ||
    changedFields.length > 0 ||
    canonicalJson(golden.xrefs) !== canonicalJson(survivor.xrefs);
  const how = (survivorMatch as CustomerMatch).explanation;
  const explanation =
    action === 'merge'
      ? `${describeSource(observation)} shows that ${targets.map((t) => t.golden.goldenId).join(' and ')} are one customer; merged into ${survivor.goldenId} (the oldest)`
      : `${describeSource(observation)} belongs to ${survivor.goldenId}: ${how}${action === 'unchanged' ? '; nothing changed' : ''}`;
  return {
    action,
    publish,
    golden: changed ? { ...golden, version: survivor.version + (publish ? 1 : 0) } : survivor,
    retiredGoldenIds: absorbedMatches.map((match) => match.golden.goldenId),
    mergeEvents,
    changedFields,
    fieldDecisions: decisions,
    ambiguousGoldenIds: ambiguous,
    explanation,
  };
}

/** Candidates that cross-reference a record the observation links to, and matched nothing else. */
function linkMatches(
  observation: CustomerObservation,
  candidates: readonly GoldenCustomer[],
  links: readonly CustomerLink[],
  already: readonly CustomerMatch[],
): CustomerMatch[] {
  const out: CustomerMatch[] = [];
  for (const golden of candidates) {
    if (already.some((match) => match.golden.goldenId === golden.goldenId)) continue;
    const link = links.find(
      (l) => isCustomerSource(l) && hasCrossReference(golden.xrefs, l.system, l.entity, l.sourceId),
    );
    if (!link) continue;
    out.push({
      golden,
      via: 'link',
      canMerge: false,
      explanation: `${describeSource(observation)} names ${link.system} ${link.entity} ${link.sourceId} as the same customer, which belongs to ${golden.goldenId}`,
    });
  }
  return out;
}

function isCustomerSource(link: CustomerLink): boolean {
  return ENTITIES_BY_SYSTEM[link.system]?.includes(link.entity) ?? false;
}

/** Oldest first (createdAt, then id): the oldest golden record survives a merge. */
function uniqueByGolden(matches: CustomerMatch[]): CustomerMatch[] {
  const seen = new Map<string, CustomerMatch>();
  for (const match of matches) if (!seen.has(match.golden.goldenId)) seen.set(match.golden.goldenId, match);
  return [...seen.values()].sort(
    (a, b) => a.golden.createdAt - b.golden.createdAt || (a.golden.goldenId < b.golden.goldenId ? -1 : 1),
  );
}

function describeSource(observation: CustomerObservation): string {
  return `${observation.sourceSystem} ${observation.sourceEntity} ${observation.sourceId}`;
}

function ruleFor(policy: SurvivorshipPolicy, field: string): SurvivorshipRule {
  return field.startsWith(CUSTOM_FIELD_PREFIX) ? policy.customFields : policy.fields[field as MasteredField];
}

function readField(record: GoldenCustomer | CustomerObservation, field: string): unknown {
  if (field.startsWith(CUSTOM_FIELD_PREFIX))
    return record.customFields?.[field.slice(CUSTOM_FIELD_PREFIX.length)];
  return record[field as MasteredField];
}

function writeField(draft: GoldenDraft, field: string, value: unknown): void {
  if (field.startsWith(CUSTOM_FIELD_PREFIX))
    draft.customFields[field.slice(CUSTOM_FIELD_PREFIX.length)] = value as string | null;
  else (draft as Record<string, unknown>)[field] = value;
}

function currentCandidate(golden: GoldenCustomer, field: string): FieldCandidate | undefined {
  const value = readField(golden, field);
  const provenance = golden.provenance[field];
  if (value === undefined || provenance === undefined) return undefined;
  return {
    value,
    source: {
      system: provenance.system,
      entity: provenance.entity,
      sourceId: provenance.sourceId,
      observedAt: provenance.observedAt,
    },
  };
}

function draftOf(golden: GoldenCustomer): GoldenDraft {
  return { ...golden, customFields: { ...golden.customFields }, provenance: { ...golden.provenance } };
}

function observedFields(observation: CustomerObservation): string[] {
  const custom = Object.keys(observation.customFields ?? {}).map((key) => `${CUSTOM_FIELD_PREFIX}${key}`);
  return [...MASTERED_FIELDS.filter((field) => observation[field] !== undefined), ...custom.sort()];
}

function applyObservation(
  golden: GoldenCustomer,
  observation: CustomerObservation,
  policy: SurvivorshipPolicy,
): { golden: GoldenCustomer; decisions: FieldDecision[] } {
  const draft = draftOf(golden);
  const source: ValueSource = {
    system: observation.sourceSystem,
    entity: observation.sourceEntity,
    sourceId: observation.sourceId,
    observedAt: observation.observedAt,
  };
  draft.xrefs = addCrossReference(
    draft.xrefs,
    observation.sourceSystem,
    observation.sourceEntity,
    observation.sourceId,
  );
  draft.updatedAt = Math.max(draft.updatedAt, observation.observedAt);
  draft.createdAt = Math.min(draft.createdAt, observation.observedAt);
  const decisions: FieldDecision[] = [];

  for (const field of observedFields(observation)) {
    const rule = ruleFor(policy, field);
    const offered: FieldCandidate = { value: readField(observation, field), source };
    const current = currentCandidate(golden, field);
    const sameValue = current !== undefined && canonicalJson(current.value) === canonicalJson(offered.value);
    if (!isEligible(rule, offered)) {
      decisions.push({
        field,
        outcome: sameValue ? 'unchanged' : 'kept',
        explanation: `${rule.kind === 'system-of-record' ? rule.system : 'its owner'} is the system of record for ${field}; the change from ${describeSource(observation)} is not taken`,
      });
      continue;
    }
    if (
      current === undefined ||
      supersedesOwnValue(offered, current) ||
      compareCandidates(rule, policy, offered, current) > 0
    ) {
      writeField(draft, field, offered.value);
      draft.provenance[field] = provenanceOf(field, rule, offered);
      decisions.push({
        field,
        outcome: sameValue ? 'unchanged' : 'taken',
        explanation: draft.provenance[field].explanation,
      });
    } else {
      decisions.push({
        field,
        outcome: sameValue ? 'unchanged' : 'kept',
        explanation: sameValue
          ? `same value as ${current.source.system} ${current.source.entity} ${current.source.sourceId}`
          : explainLoss(field, rule, policy, offered, current),
      });
    }
  }
  return { golden: draft, decisions };
}

/**
 * A newer version of the very record whose value the golden field holds replaces that value, even at
 * the same source time: sources stamp changes in whole seconds (Salesforce LastModifiedDate, X3
 * UPDDATTIM, Pardot updatedAt), so two edits of one record within a second tie, and the one that came
 * second is the newer (a record's observations arrive in order; older ones are dropped before).
 */
function supersedesOwnValue(offered: FieldCandidate, current: FieldCandidate): boolean {
  return (
    offered.source.system === current.source.system &&
    offered.source.entity === current.source.entity &&
    offered.source.sourceId === current.source.sourceId &&
    offered.source.observedAt >= current.source.observedAt
  );
}

/** Folds an absorbed golden record into the survivor: every field chosen again among both, ids united. */
function mergeGoldens(
  survivor: GoldenCustomer,
  absorbed: GoldenCustomer,
  policy: SurvivorshipPolicy,
): GoldenCustomer {
  const draft = draftOf(survivor);
  const fields = new Set([...Object.keys(survivor.provenance), ...Object.keys(absorbed.provenance)]);
  for (const field of [...fields].sort()) {
    const rule = ruleFor(policy, field);
    const offers = [survivor, absorbed].flatMap((golden) => {
      const candidate = currentCandidate(golden, field);
      const provenance = golden.provenance[field];
      return candidate && provenance ? [{ candidate, provenance }] : [];
    });
    const winner = chooseSurvivor(
      rule,
      policy,
      offers.map((offer) => offer.candidate),
    );
    const chosen = offers.find((offer) => offer.candidate === winner);
    if (!chosen) continue;
    writeField(draft, field, chosen.candidate.value);
    draft.provenance[field] = chosen.provenance;
  }
  draft.xrefs = unionCrossReferences(survivor.xrefs, absorbed.xrefs);
  draft.mergedFrom = [...new Set([...survivor.mergedFrom, absorbed.goldenId, ...absorbed.mergedFrom])].sort();
  draft.createdAt = Math.min(survivor.createdAt, absorbed.createdAt);
  draft.updatedAt = Math.max(survivor.updatedAt, absorbed.updatedAt);
  return draft;
}

function changedBusinessFields(before: GoldenCustomer, after: GoldenCustomer): string[] {
  const fields = new Set<string>([
    ...MASTERED_FIELDS,
    ...Object.keys(before.customFields).map((k) => `${CUSTOM_FIELD_PREFIX}${k}`),
    ...Object.keys(after.customFields).map((k) => `${CUSTOM_FIELD_PREFIX}${k}`),
  ]);
  return [...fields].filter(
    (field) => canonicalJson(readField(before, field)) !== canonicalJson(readField(after, field)),
  );
}
