import type {
  CustomerObservation,
  GoldenCustomer,
  SourceEntity,
  SourceSystem,
} from '../customer/customer.types.js';
import type { MatchingPolicy } from '../matching/matching-policy.types.js';
import type { SurvivorshipPolicy } from '../survivorship/survivorship-policy.types.js';

export interface CustomerMasterPolicies {
  readonly matching: MatchingPolicy;
  readonly survivorship: SurvivorshipPolicy;
}

/** A record of another system the observation's source says is the same customer (`links`). */
export interface CustomerLink {
  readonly system: SourceSystem;
  readonly entity: SourceEntity;
  readonly sourceId: string;
}

export interface CustomerMasterInput {
  readonly observation: CustomerObservation;
  /**
   * Records the source says are this customer (an X3 customer created for a Salesforce Account names
   * that Account): a golden record cross-referencing one is a match — a weak one, so a link alone
   * attaches the observation but never merges golden records.
   */
  readonly links?: readonly CustomerLink[];
  /** The golden records a store found through the observation's match keys (over-fetching is fine). */
  readonly candidates: readonly GoldenCustomer[];
  readonly policies: CustomerMasterPolicies;
  /** Called once when a new golden record is created (a UUID in production, a fixed id in tests). */
  readonly newGoldenId: () => string;
}

/** What an observation did to one mastered field. */
export interface FieldDecision {
  readonly field: string;
  /** taken: the golden field now has the offered value; kept: the offer lost to the current value; unchanged: same value. */
  readonly outcome: 'taken' | 'kept' | 'unchanged';
  readonly explanation: string;
}

/** Emitted when golden records turn out to be one customer; the absorbed one is retired. */
export interface CustomerMergeEvent {
  readonly survivorGoldenId: string;
  readonly mergedGoldenId: string;
  /** The matching rules that joined them (`normalised-email`); empty when only identities did. */
  readonly matchRules: readonly string[];
  /** Why they are one customer, e.g. "same email \"jane@acme.com\" as gc-1 (rule normalised-email)". */
  readonly reason: string;
  readonly triggeredBy: {
    readonly system: SourceSystem;
    readonly entity: SourceEntity;
    readonly sourceId: string;
    readonly observedAt: number;
  };
}

export interface CustomerMasterDecision {
  /** create: a new golden record; update: one changed; merge: several became one (and it may have changed); unchanged: a replay. */
  readonly action: 'create' | 'update' | 'merge' | 'unchanged';
  /**
   * Whether the change is one to publish as a new version (`version` + 1): a business value, a
   * cross-reference or a merge changed. An update that only moves `updatedAt` or a field's provenance
   * (the same value seen again, later or from another record) is stored under the same version.
   */
  readonly publish: boolean;
  /** The golden record's new state, to store. */
  readonly golden: GoldenCustomer;
  /** Golden records absorbed by a merge, to retire (redirect their ids to the survivor). */
  readonly retiredGoldenIds: readonly string[];
  readonly mergeEvents: readonly CustomerMergeEvent[];
  /** Business fields whose value changed (what writers propagate), e.g. `address`, `customFields.Foo__c`. */
  readonly changedFields: readonly string[];
  readonly fieldDecisions: readonly FieldDecision[];
  /** Other golden records this observation matched only weakly, not merged: for a data steward. */
  readonly ambiguousGoldenIds: readonly string[];
  /** One sentence: what happened and why. */
  readonly explanation: string;
}
