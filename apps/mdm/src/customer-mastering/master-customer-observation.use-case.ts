import { Inject, Injectable } from '@nestjs/common';
import type {
  CustomerMerged,
  CustomerObservation as CanonicalCustomerObservation,
  GoldenCustomer as CanonicalGoldenCustomer,
} from '@pardot-x3/canonical';
import {
  candidateKeys,
  customerMergedToCanonical,
  decideObservation,
  goldenCustomerToCanonical,
  InvalidCustomerObservationError,
  lockKeys,
  matchKeysForGolden,
  observationToMaster,
  type CustomerMasterPolicies,
  type GoldenCustomer,
  type MatchingPolicy,
  type ObservationDecision,
  type ObservationToMaster,
  type SourceRecord,
} from '@pardot-x3/customer-master';
import { deriveEventId, NonRetriableError } from '@pardot-x3/messaging';
import type { EntityManager } from 'typeorm';
import { CUSTOMER_MASTER_POLICIES } from '../customer-policies/customer-policies.module.js';
import type { GoldenCustomerState } from './golden-customer.entity.js';
import { GoldenCustomerStore, sourceRecordKey, type SourceRecordRef } from './golden-customer.store.js';

export interface ObservationInput {
  readonly observation: CanonicalCustomerObservation;
  /** The observation event's id: a new golden record's id is derived from it (re-processing gives the same id). */
  readonly eventId: string;
}

/** Observations of one partition, in offset order, to master in the caller's transaction (`manager`). */
export interface MasterCustomerObservationsCommand {
  readonly manager: EntityManager;
  readonly observations: readonly ObservationInput[];
}

/** What to publish after mastering one observation of a batch. */
export interface MasteringResult {
  readonly action: ObservationDecision['action'];
  /** The golden record this observation belongs to (when it has one). */
  readonly goldenId?: string;
  /**
   * A golden record's new version to publish (`customer.golden-record.mastered.v1`): its state at the
   * end of the batch, on the last observation of the batch that made it a new version.
   */
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
 * A batch of customer observations into the golden records, in the caller's transaction: lock the
 * match keys of the whole batch, load the source records and candidate golden records it needs once,
 * let the customer master decide every observation in offset order against the result of the previous
 * ones (`decideObservation`, pure), then write the final golden records, match keys and source records
 * with multi-row statements. The same observations give the same golden records as one transaction
 * each.
 */
@Injectable()
export class MasterCustomerObservationUseCase {
  constructor(
    private readonly store: GoldenCustomerStore,
    @Inject(CUSTOMER_MASTER_POLICIES) private readonly policies: CustomerMasterPolicies,
  ) {}

  async execute(command: MasterCustomerObservationsCommand): Promise<MasteringResult[]> {
    const { manager, observations: inputs } = command;
    const matching = this.policies.matching;
    const items = inputs.map((input) => ({ ...input, ...parse(input.observation) }));
    const work = new WorkingSet(matching);

    // Everything the observations name, locked in one order and loaded once.
    await this.loadKeys(
      manager,
      work,
      items.flatMap((item) => lockKeys(item, matching)),
    );
    const refs = uniqueRefs(items.map((item) => refOf(item)));
    for (const [key, row] of await this.store.findSourceRecords(manager, refs)) work.sources.set(key, row);

    const decisions: ObservationDecision[] = [];
    for (const item of items) {
      const ref = refOf(item);
      const previous = work.sources.get(sourceRecordKey(ref));
      const keys = candidateKeys(item, previous, matching);
      await this.loadKeys(manager, work, keys);
      const decision = decideObservation({
        ...item,
        previous,
        candidates: work.candidates(keys),
        policies: this.policies,
        newGoldenId: () => deriveEventId(item.eventId, 'mdm.golden-id'),
      });
      work.apply(ref, decision);
      decisions.push(decision);
    }

    await this.store.redirectMerged(manager, work.finalRedirects());
    await this.store.saveGoldens(manager, work.changedGoldens(), matching);
    await this.store.saveSourceRecords(manager, work.changedSources());

    const publishers = work.publishers();
    const mergedAt = new Date();
    return decisions.map((decision, index): MasteringResult => {
      const published = publishers.get(index);
      return {
        action: decision.action,
        goldenId: decision.golden?.goldenId ?? decision.sourceRecord?.goldenId,
        ...(published && { golden: goldenCustomerToCanonical(published) }),
        retiredGoldenIds: [
          ...decision.retiredGoldenIds,
          ...(decision.goldenState === 'deleted' && decision.golden ? [decision.golden.goldenId] : []),
        ],
        merges: customerMergedToCanonical(decision.mergeEvents, { mergedAt }),
        ambiguousGoldenIds: decision.ambiguousGoldenIds,
        explanation: decision.explanation,
      };
    });
  }

  /** Locks the keys not locked yet in this transaction and loads the golden records found under them. */
  private async loadKeys(manager: EntityManager, work: WorkingSet, keys: readonly string[]): Promise<void> {
    const missing = [...new Set(keys)].filter((key) => !work.loadedKeys.has(key));
    if (missing.length === 0) return;
    await this.store.lockMatchKeys(manager, missing);
    for (const golden of await this.store.findByMatchKeys(manager, missing)) work.load(golden);
    for (const key of missing) work.loadedKeys.add(key);
  }
}

interface WorkingGolden {
  golden: GoldenCustomer;
  state: GoldenCustomerState;
  mergedInto: string | null;
  keys: readonly string[];
}

/**
 * The golden records and source records a batch works on, as they stand after each decision, with
 * the match-key index of the golden records (what the store's key table will hold after the batch).
 */
class WorkingSet {
  readonly loadedKeys = new Set<string>();
  readonly sources = new Map<string, SourceRecord>();
  private readonly goldens = new Map<string, WorkingGolden>();
  private readonly byKey = new Map<string, Set<string>>();
  private readonly changedGoldenIds = new Set<string>();
  private readonly changedSourceRefs = new Map<string, SourceRecordRef>();
  private readonly redirects = new Map<string, string>();
  /** Golden id → index of the last decision that made it a new version. */
  private readonly lastPublished = new Map<string, number>();
  private decisions = 0;

  constructor(private readonly policy: MatchingPolicy) {}

  /** A golden record read from the store (ignored when the batch already has it: ours is newer). */
  load(golden: GoldenCustomer): void {
    if (this.goldens.has(golden.goldenId)) return;
    this.put(golden, 'active', null, false);
  }

  /** The active golden records indexed under any of the keys, by id. */
  candidates(keys: readonly string[]): GoldenCustomer[] {
    const ids = new Set(keys.flatMap((key) => [...(this.byKey.get(key) ?? [])]));
    return [...ids].sort().flatMap((id) => {
      const entry = this.goldens.get(id);
      return entry && entry.state === 'active' ? [entry.golden] : [];
    });
  }

  apply(ref: SourceRecordRef, decision: ObservationDecision): void {
    const index = this.decisions;
    this.decisions += 1;
    const golden = decision.golden;
    if (golden) {
      for (const absorbed of decision.retiredGoldenIds) {
        const entry = this.goldens.get(absorbed);
        if (entry) this.put(entry.golden, 'merged', golden.goldenId, true);
        this.redirects.set(absorbed, golden.goldenId);
        this.lastPublished.delete(absorbed);
        for (const [key, source] of this.sources)
          if (source.goldenId === absorbed) this.sources.set(key, { ...source, goldenId: golden.goldenId });
      }
      this.put(golden, decision.goldenState ?? 'active', null, true);
      if (decision.goldenState === 'deleted') this.lastPublished.delete(golden.goldenId);
      else if (decision.publish) this.lastPublished.set(golden.goldenId, index);
    }
    if (decision.sourceRecord) {
      const key = sourceRecordKey(ref);
      this.sources.set(key, decision.sourceRecord);
      this.changedSourceRefs.set(key, ref);
    }
  }

  /** Absorbed → the survivor it finally lives in (a record absorbed by one later absorbed too). */
  finalRedirects(): Map<string, string> {
    const final = new Map<string, string>();
    for (const absorbed of this.redirects.keys()) {
      let target = this.redirects.get(absorbed) as string;
      for (let hops = 0; this.redirects.has(target) && hops < 100; hops += 1)
        target = this.redirects.get(target) as string;
      final.set(absorbed, target);
    }
    return final;
  }

  changedGoldens(): { golden: GoldenCustomer; state: GoldenCustomerState; mergedInto: string | null }[] {
    const final = this.finalRedirects();
    return [...this.changedGoldenIds].flatMap((id) => {
      const entry = this.goldens.get(id);
      if (!entry) return [];
      const mergedInto = entry.state === 'merged' ? (final.get(id) ?? entry.mergedInto) : null;
      return [{ golden: entry.golden, state: entry.state, mergedInto }];
    });
  }

  changedSources(): { ref: SourceRecordRef; row: SourceRecord }[] {
    return [...this.changedSourceRefs].flatMap(([key, ref]) => {
      const row = this.sources.get(key);
      return row ? [{ ref, row }] : [];
    });
  }

  /** Decision index → the final state of each golden record it was the last to publish (still active). */
  publishers(): Map<number, GoldenCustomer> {
    const out = new Map<number, GoldenCustomer>();
    for (const [id, index] of this.lastPublished) {
      const entry = this.goldens.get(id);
      if (entry?.state === 'active') out.set(index, entry.golden);
    }
    return out;
  }

  private put(
    golden: GoldenCustomer,
    state: GoldenCustomerState,
    mergedInto: string | null,
    changed: boolean,
  ): void {
    const previous = this.goldens.get(golden.goldenId);
    for (const key of previous?.keys ?? []) this.byKey.get(key)?.delete(golden.goldenId);
    const keys = state === 'active' ? matchKeysForGolden(golden, this.policy) : [];
    for (const key of keys) {
      const ids = this.byKey.get(key) ?? new Set<string>();
      ids.add(golden.goldenId);
      this.byKey.set(key, ids);
    }
    this.goldens.set(golden.goldenId, { golden, state, mergedInto, keys });
    if (changed) this.changedGoldenIds.add(golden.goldenId);
  }
}

function parse(observation: CanonicalCustomerObservation): ObservationToMaster {
  try {
    return observationToMaster(observation);
  } catch (error) {
    if (error instanceof InvalidCustomerObservationError)
      throw new NonRetriableError(error.message, { cause: error });
    throw error;
  }
}

function refOf(item: ObservationToMaster): SourceRecordRef {
  return {
    system: item.observation.sourceSystem,
    entity: item.observation.sourceEntity,
    sourceId: item.observation.sourceId,
  };
}

function uniqueRefs(refs: readonly SourceRecordRef[]): SourceRecordRef[] {
  return [...new Map(refs.map((ref) => [sourceRecordKey(ref), ref])).values()];
}
