import type { MasteredField } from '../customer/customer-field.constants.js';
import type { SourceSystem } from '../customer/customer.types.js';

/** How one mastered field chooses its value among the systems that provide it. */
export type SurvivorshipRule =
  /** The owner's value always wins; until the owner has given one, `otherwise` decides (or the field stays unknown). */
  | {
      readonly kind: 'system-of-record';
      readonly system: SourceSystem;
      readonly otherwise: 'last-writer-wins' | 'none';
    }
  /** The most recent change at its source wins (source modification times). */
  | { readonly kind: 'last-writer-wins' }
  /** The first system of the list that provides a value wins; within one system, the most recent change. */
  | { readonly kind: 'source-priority'; readonly systems: readonly SourceSystem[] };

export interface SurvivorshipPolicy {
  readonly version: number;
  readonly fields: Readonly<Record<MasteredField, SurvivorshipRule>>;
  /** The rule of every custom field (`customFields.*`). */
  readonly customFields: SurvivorshipRule;
  /** Orders two changes with the same source time, so the outcome never depends on arrival order. */
  readonly tieBreak: readonly SourceSystem[];
}
