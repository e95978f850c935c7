import { Inject, Injectable } from '@nestjs/common';
import type {
  ExternalReference,
  CustomerMerged,
  CustomerObservation as CanonicalCustomerObservation,
  GoldenCustomer as CanonicalGoldenCustomer,
} from '@pardot-x3/canonical';
import {
  customerMergedToCanonical,
  customerObservationFromCanonical,
  decideCustomerMaster,
  findCustomerMatches,
  goldenCustomerToCanonical,
  matchKeysForLinks,
  matchKeysForObservation,
  observationDelta,
  ENTITIES_BY_SYSTEM,
  type CustomerLink,
  parseCustomerObservation,
  removeCrossReference,
  crossReferenceKeys,
  InvalidCustomerObservationError,
  type CustomerMasterDecision,
  type CustomerMasterPolicies,
  type GoldenCustomer,
} from '@pardot-x3/customer-master';
import { deriveEventId, NonRetriableError } from '@pardot-x3/messaging';
import type { EntityManager } from 'typeorm';
import { CUSTOMER_MASTER_POLICIES } from '../customer-policies/customer-policies.module.js';
import { GoldenCustomerStore, type SourceRecordRef } from './golden-customer.store.js';

export interface MasterObservationInput {
  readonly observation: CanonicalCustomerObservation;
  /** The observation event's id: a new golden record's id is derived from it (re-processing gives the same id). */
  readonly eventId: string;
  /** The consumer's transaction (inbox and effect together). */
  readonly manager: EntityManager;
}

/** What to publish after mastering one observation. */
export interface MasteringResult {
  readonly action: CustomerMasterDecision['action'] | 'stale' | 'deleted' | 'ignored';
  /** The golden record's new state (on `customer.golden-record.mastered.v1`), when it changed. */
  readonly golden?: CanonicalGoldenCustomer;
  /** Golden ids that no longer exist (merged, or every source record deleted): tombstones. */
  readonly retiredGoldenIds: readonly string[];
  readonly merges: readonly CustomerMerged[];
  /** Weak matches left for a data steward. */
  readonly ambiguousGoldenIds: readonly string[];
  /** A sentence for the debug log (may contain customer data). */
  readonly explanation: string;
}

/**
 * One customer observation into the golden records: reduce it to what changed in its source record,
 * lock and load the candidate golden records by match keys, let the customer master decide (create,
 * update, merge), and store the result — golden record, match keys, cross-reference of the source
 * record — in the caller's transaction. A deleted source record leaves its golden record's
 * cross-references; a golden record left with none is retired.
 */
@Injectable()
export class MasterCustomerObservationUseCase {
  constructor(
    private readonly store: GoldenCustomerStore,
    @Inject(CUSTOMER_MASTER_POLICIES) private readonly policies: CustomerMasterPolicies,
  ) {}

  async execute(input: MasterObservationInput): Promise<MasteringResult> {
    const { manager } = input;
    const { observation: raw, extras } = customerObservationFromCanonical(input.observation);
    let observation;
    try {
      observation = parseCustomerObservation(raw);
    } catch (error) {
      if (error instanceof InvalidCustomerObservationError)
        throw new NonRetriableError(error.message, { cause: error });
      throw error;
    }
    const ref: SourceRecordRef = {
      system: observation.sourceSystem,
      entity: observation.sourceEntity,
      sourceId: observation.sourceId,
    };
    if (extras.deleted) return this.deleteSourceRecord(manager, ref, observation.observedAt);

    await this.store.lockMatchKeys(manager, this.identityKeys(ref));
    const previous = await this.store.findSourceRecord(manager, ref);
    const delta = observationDelta(previous && !previous.deleted ? previous.state : undefined, observation);
    if (delta.kind === 'stale')
      return {
        action: 'stale',
        retiredGoldenIds: [],
        merges: [],
        ambiguousGoldenIds: [],
        explanation: delta.reason,
      };

    const links = customerLinks(extras.links);
    const keys = [
      ...matchKeysForObservation(delta.observation, this.policies.matching),
      ...matchKeysForLinks(links),
    ];
    await this.store.lockMatchKeys(manager, keys);
    const candidates = await this.store.findByMatchKeys(manager, keys);
    const decision = decideCustomerMaster({
      observation: delta.observation,
      candidates,
      links,
      policies: this.policies,
      newGoldenId: () => deriveEventId(input.eventId, 'mdm.golden-id'),
    });
    const survivor = decision.golden;
    if (decision.action !== 'unchanged')
      await this.store.saveGolden(manager, survivor, this.policies.matching);
    await this.store.markMerged(manager, decision.retiredGoldenIds, survivor.goldenId);
    await this.store.saveSourceRecord(manager, ref, { goldenId: survivor.goldenId, state: delta.state });

    const candidatesById = new Map(candidates.map((golden) => [golden.goldenId, golden]));
    const merges = customerMergedToCanonical(decision.mergeEvents, {
      mergedAt: new Date(),
      // What made them one customer: the rules that matched (an observation always matches its own
      // golden record by identity; the rule that matched the other one is the news).
      matchRule: (event) => {
        const involved = [event.survivorGoldenId, event.mergedGoldenId].flatMap((id) => {
          const golden = candidatesById.get(id);
          return golden ? [golden] : [];
        });
        const rules = [
          ...new Set(
            findCustomerMatches(delta.observation, involved, this.policies.matching)
              .map((match) => match.via)
              .filter((via) => via !== 'identity'),
          ),
        ];
        return rules.join(', ') || 'identity';
      },
    });
    return {
      action: decision.action,
      golden: decision.action === 'unchanged' ? undefined : goldenCustomerToCanonical(survivor),
      retiredGoldenIds: decision.retiredGoldenIds,
      merges,
      ambiguousGoldenIds: decision.ambiguousGoldenIds,
      explanation: decision.explanation,
    };
  }

  private async deleteSourceRecord(
    manager: EntityManager,
    ref: SourceRecordRef,
    observedAt: number,
  ): Promise<MasteringResult> {
    const none = (explanation: string): MasteringResult => ({
      action: 'ignored',
      retiredGoldenIds: [],
      merges: [],
      ambiguousGoldenIds: [],
      explanation,
    });
    await this.store.lockMatchKeys(manager, this.identityKeys(ref));
    const row = await this.store.findSourceRecord(manager, ref);
    if (!row || row.deleted)
      return none(`${ref.system} ${ref.entity} ${ref.sourceId} is not known; nothing to delete`);
    if (observedAt < row.state.observedAt)
      return none(
        `${ref.system} ${ref.entity} ${ref.sourceId} changed after this deletion; the deletion is stale`,
      );
    await this.store.saveSourceRecord(manager, ref, {
      goldenId: row.goldenId,
      state: { ...row.state, observedAt },
      deleted: true,
    });
    const stored = await this.store.resolveActive(manager, row.goldenId, true);
    if (!stored || stored.state !== 'active')
      return none(`the golden record of ${ref.sourceId} is gone already`);
    const golden: GoldenCustomer = {
      ...stored.golden,
      version: stored.golden.version + 1,
      xrefs: removeCrossReference(stored.golden.xrefs, ref.system, ref.entity, ref.sourceId),
    };
    if (crossReferenceKeys(golden.xrefs).length === 0) {
      await this.store.markDeleted(manager, golden);
      return {
        action: 'deleted',
        retiredGoldenIds: [golden.goldenId],
        merges: [],
        ambiguousGoldenIds: [],
        explanation: `${ref.system} ${ref.entity} ${ref.sourceId} was the last source record of ${golden.goldenId}; the golden record is retired`,
      };
    }
    await this.store.saveGolden(manager, golden, this.policies.matching);
    return {
      action: 'deleted',
      golden: goldenCustomerToCanonical(golden),
      retiredGoldenIds: [],
      merges: [],
      ambiguousGoldenIds: [],
      explanation: `${ref.system} ${ref.entity} ${ref.sourceId} was deleted; no longer cross-referenced by ${golden.goldenId}`,
    };
  }

  /** The key of the source record's own identity (an observation without fields has no other). */
  private identityKeys(ref: SourceRecordRef): string[] {
    return matchKeysForObservation(
      { sourceSystem: ref.system, sourceEntity: ref.entity, sourceId: ref.sourceId, observedAt: 0 },
      this.policies.matching,
    );
  }
}

/** The links of an observation that name customer records (X3 customer, Lead, Contact, Account, prospect). */
function customerLinks(links: readonly ExternalReference[]): CustomerLink[] {
  return links.flatMap((link) => {
    const entity = ENTITIES_BY_SYSTEM[link.system].find((e) => e === link.entity);
    return entity ? [{ system: link.system, entity, sourceId: link.id }] : [];
  });
}
