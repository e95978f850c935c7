import type {
  CustomerObservation as CanonicalCustomerObservation,
  ExternalReference,
} from '@pardot-x3/canonical';
import { customerObservationFromCanonical } from '../canonical/customer-observation.converter.js';
import { ENTITIES_BY_SYSTEM } from '../customer/customer-field.constants.js';
import { parseCustomerObservation } from '../customer/customer-observation.parser.js';
import type { CustomerObservation, GoldenCustomer } from '../customer/customer.types.js';
import { matchKeysForLinks, matchKeysForObservation } from '../matching/customer.matcher.js';
import type { MatchingPolicy } from '../matching/matching-policy.types.js';
import { observationDelta, type SourceRecordState } from '../observation/observation-delta.js';
import { canonicalJson } from '../survivorship/field-survivorship.js';
import {
  addCrossReference,
  crossReferenceKeys,
  hasCrossReference,
  removeCrossReference,
} from './cross-references.js';
import type {
  CustomerLink,
  CustomerMasterPolicies,
  CustomerMergeEvent,
} from './customer-master-decision.types.js';
import { decideCustomerMaster } from './customer-master.decider.js';

/** What mdm knows of one source record: the golden record it belongs to and its last known state. */
export interface SourceRecord {
  readonly goldenId: string;
  readonly state: SourceRecordState;
  readonly deleted: boolean;
}

/** One observation as the customer master takes it: the source record's values, deleted or not, its links. */
export interface ObservationToMaster {
  readonly observation: CustomerObservation;
  /** The source record was deleted (the fields are its last known values). */
  readonly deleted: boolean;
  /** Customer records of other systems the source says are the same customer. */
  readonly links: readonly CustomerLink[];
}

/**
 * A `customer.observation.recorded.v1` value as the customer master takes it (parsed and checked).
 * Throws `InvalidCustomerObservationError` for a value it cannot master.
 */
export function observationToMaster(value: CanonicalCustomerObservation): ObservationToMaster {
  const { observation, extras } = customerObservationFromCanonical(value);
  return {
    observation: parseCustomerObservation(observation),
    deleted: extras.deleted,
    links: customerLinks(extras.links),
  };
}

/**
 * The keys under which a store finds the candidate golden records of an observation, given what is
 * known of its source record (the observation is first reduced to what changed): its identity, one
 * key per matching rule whose fields it offers, and the identities of the records it links to. A
 * deletion needs only its identity (the golden record that cross-references it).
 */
export function candidateKeys(
  item: ObservationToMaster,
  previous: SourceRecord | undefined,
  policy: MatchingPolicy,
): string[] {
  const identity = identityKeys(item.observation, policy);
  if (item.deleted) return identity;
  const delta = observationDelta(
    previous && !previous.deleted ? previous.state : undefined,
    item.observation,
  );
  if (delta.kind === 'stale') return identity;
  return [...matchKeysForObservation(delta.observation, policy), ...matchKeysForLinks(item.links)];
}

/**
 * Keys to lock before the source record is read: its identity and every key of the observation as it
 * came (a superset, usually, of {@link candidateKeys}; a store locks what is missing later).
 */
export function lockKeys(item: ObservationToMaster, policy: MatchingPolicy): string[] {
  return [...matchKeysForObservation(item.observation, policy), ...matchKeysForLinks(item.links)];
}

export interface ObservationDecisionInput extends ObservationToMaster {
  /** The source record as mdm knows it (after the earlier observations of the same batch). */
  readonly previous: SourceRecord | undefined;
  /** Active golden records found under {@link candidateKeys} (over-fetching is fine). */
  readonly candidates: readonly GoldenCustomer[];
  readonly policies: CustomerMasterPolicies;
  /** Called once when a new golden record is created. */
  readonly newGoldenId: () => string;
}

/** What one observation does to the golden records; the store writes it, the handler publishes it. */
export interface ObservationDecision {
  readonly action: 'create' | 'update' | 'merge' | 'unchanged' | 'deleted' | 'stale' | 'ignored';
  /** The golden record's new state to store, when it changed (also when only silently). */
  readonly golden?: GoldenCustomer;
  /** `deleted`: the golden record lost its last source record and is retired (a tombstone). */
  readonly goldenState?: 'active' | 'deleted';
  /** Whether {@link golden} is a new version to publish (a value, a cross-reference or a merge changed). */
  readonly publish: boolean;
  /** The source record to store, when it changed. */
  readonly sourceRecord?: SourceRecord;
  /** Golden records absorbed into {@link golden} by a merge (tombstones). */
  readonly retiredGoldenIds: readonly string[];
  readonly mergeEvents: readonly CustomerMergeEvent[];
  /** Weak matches left for a data steward. */
  readonly ambiguousGoldenIds: readonly string[];
  /** A sentence for the debug log (may contain customer data). */
  readonly explanation: string;
}

/**
 * The customer master's whole decision for one observation, pure: reduce it to what changed in its
 * source record (an older version is stale), then match, create, update or merge against the
 * candidates with per-field survivorship; a deleted source record leaves its golden record's
 * cross-references, and a golden record left with none is retired. Applying the observations of a
 * batch one after another, each against the result of the previous ones, gives what applying them in
 * separate transactions gives.
 */
export function decideObservation(input: ObservationDecisionInput): ObservationDecision {
  const { observation, previous } = input;
  if (input.deleted) return decideDeletion(input);
  const delta = observationDelta(previous && !previous.deleted ? previous.state : undefined, observation);
  if (delta.kind === 'stale') return nothing('stale', delta.reason);
  const decision = decideCustomerMaster({
    observation: delta.observation,
    candidates: input.candidates,
    links: input.links,
    policies: input.policies,
    newGoldenId: input.newGoldenId,
  });
  const sourceRecord: SourceRecord = {
    goldenId: decision.golden.goldenId,
    state: delta.state,
    deleted: false,
  };
  return {
    action: decision.action,
    ...(decision.action !== 'unchanged' && { golden: decision.golden, goldenState: 'active' as const }),
    publish: decision.publish,
    ...(!sameSourceRecord(previous, sourceRecord) && { sourceRecord }),
    retiredGoldenIds: decision.retiredGoldenIds,
    mergeEvents: decision.mergeEvents,
    ambiguousGoldenIds: decision.ambiguousGoldenIds,
    explanation: decision.explanation,
  };
}

function decideDeletion(input: ObservationDecisionInput): ObservationDecision {
  const { observation: o, previous } = input;
  const name = `${o.sourceSystem} ${o.sourceEntity} ${o.sourceId}`;
  if (!previous || previous.deleted) return nothing('ignored', `${name} is not known; nothing to delete`);
  if (o.observedAt < previous.state.observedAt)
    return nothing('ignored', `${name} changed after this deletion; the deletion is stale`);
  const sourceRecord: SourceRecord = {
    goldenId: previous.goldenId,
    state: { ...previous.state, observedAt: o.observedAt },
    deleted: true,
  };
  const owners = input.candidates.filter((g) =>
    hasCrossReference(g.xrefs, o.sourceSystem, o.sourceEntity, o.sourceId),
  );
  const owner = owners.find((g) => g.goldenId === previous.goldenId) ?? owners[0];
  if (!owner)
    return { ...nothing('ignored', `the golden record of ${o.sourceId} is gone already`), sourceRecord };
  const golden: GoldenCustomer = {
    ...owner,
    version: owner.version + 1,
    xrefs: removeCrossReference(owner.xrefs, o.sourceSystem, o.sourceEntity, o.sourceId),
  };
  const last = crossReferenceKeys(golden.xrefs).length === 0;
  return {
    action: 'deleted',
    golden,
    goldenState: last ? 'deleted' : 'active',
    publish: !last,
    sourceRecord,
    retiredGoldenIds: [],
    mergeEvents: [],
    ambiguousGoldenIds: [],
    explanation: last
      ? `${name} was the last source record of ${golden.goldenId}; the golden record is retired`
      : `${name} was deleted; no longer cross-referenced by ${golden.goldenId}`,
  };
}

function nothing(action: 'stale' | 'ignored', explanation: string): ObservationDecision {
  return {
    action,
    publish: false,
    retiredGoldenIds: [],
    mergeEvents: [],
    ambiguousGoldenIds: [],
    explanation,
  };
}

function sameSourceRecord(a: SourceRecord | undefined, b: SourceRecord): boolean {
  return a !== undefined && canonicalJson(a) === canonicalJson(b);
}

function identityKeys(observation: CustomerObservation, policy: MatchingPolicy): string[] {
  return matchKeysForObservation(
    {
      sourceSystem: observation.sourceSystem,
      sourceEntity: observation.sourceEntity,
      sourceId: observation.sourceId,
      observedAt: 0,
    },
    policy,
  );
}

/** The links of an observation that name customer records (X3 customer, Lead, Contact, Account, prospect). */
function customerLinks(links: readonly ExternalReference[]): CustomerLink[] {
  return links.flatMap((link) => {
    const entity = ENTITIES_BY_SYSTEM[link.system].find((e) => e === link.entity);
    return entity ? [{ system: link.system, entity, sourceId: link.id }] : [];
  });
}

/**
 * A cross-reference learnt from one of our own writes (the id of a Pardot prospect pardot-writer
 * upserted from this golden record): kept under the same version and not published — the target
 * already holds the values, and the next published version carries the id. `undefined` when the
 * golden record cross-references it already.
 */
export function withLearntCrossReference(
  golden: GoldenCustomer,
  link: CustomerLink,
): GoldenCustomer | undefined {
  if (hasCrossReference(golden.xrefs, link.system, link.entity, link.sourceId)) return undefined;
  return { ...golden, xrefs: addCrossReference(golden.xrefs, link.system, link.entity, link.sourceId) };
}
