import type { HarmoniserKind, HarmoniserOptions } from '../harmonisation/harmoniser.registry.js';

export type Scalar = string | number | boolean;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type ConditionOperator =
  'equals' | 'notEquals' | 'in' | 'notIn' | 'present' | 'absent' | 'matches' | 'greaterThan' | 'lessThan';

/** A condition on the source record (`when:`), as loaded from a template. */
export type Condition =
  | { readonly kind: 'all'; readonly conditions: readonly Condition[] }
  | { readonly kind: 'any'; readonly conditions: readonly Condition[] }
  | { readonly kind: 'not'; readonly condition: Condition }
  | {
      readonly kind: 'field';
      readonly field: string;
      readonly operator: ConditionOperator;
      /** Scalar for equals/notEquals/matches/greaterThan/lessThan, list for in/notIn, none for present/absent. */
      readonly operand?: Scalar | readonly Scalar[];
      readonly ignoreCase: boolean;
    };

/** Where an output field's value comes from. */
export type FieldSource =
  /** The first of these source paths that holds a value. */
  | { readonly kind: 'path'; readonly paths: readonly string[] }
  | { readonly kind: 'const'; readonly value: Scalar | null }
  /** The non-empty parts, joined. */
  | { readonly kind: 'join'; readonly paths: readonly string[]; readonly separator: string }
  /** A list of texts, one per path, positions kept (`""` where a part is empty), e.g. X3 `BPAADDLIG`. */
  | { readonly kind: 'list'; readonly paths: readonly string[] }
  /** One output record per item of a source list, mapped by nested rules (paths relative to the item). */
  | { readonly kind: 'each'; readonly path: string; readonly fields: readonly FieldRule[] };

export interface FieldRule {
  /** Output path, e.g. `address.city`. */
  readonly target: string;
  readonly source: FieldSource;
  readonly as?: HarmoniserKind;
  readonly options: HarmoniserOptions;
  /** The phone harmoniser's default country read from the record (first path holding one), e.g. `CRY`. */
  readonly defaultCountryFrom?: readonly string[];
  readonly translate?: string;
  readonly default?: Scalar;
  readonly required: boolean;
  /** Source values that mean "empty", e.g. X3's `0000-00-00`. */
  readonly emptyValues: readonly string[];
  readonly when?: Condition;
  /** `warn`: an invalid value leaves the field unknown and is reported as a warning instead of rejecting the record. */
  readonly onInvalid: 'reject' | 'warn';
  readonly description?: string;
}

export interface TranslationEntry {
  readonly value: Scalar | null;
  /** What the value means, shown in previews (e.g. "High-Value Customer" for X3 category HVC). */
  readonly label?: string;
}

export interface TranslationTable {
  readonly name: string;
  readonly description?: string;
  readonly ignoreCase: boolean;
  readonly entries: ReadonlyMap<string, TranslationEntry>;
  /** What a value missing from the table becomes: an error (default), itself, or a fixed value. */
  readonly otherwise:
    | { readonly kind: 'reject' }
    | { readonly kind: 'keep' }
    | { readonly kind: 'value'; readonly value: Scalar | null };
}

/** Copies source keys matching a pattern that no field rule used, so nothing is dropped unseen. */
export interface PassThroughRule {
  /** Source object whose keys are copied; the record itself when absent. */
  readonly from?: string;
  /** Key pattern with `*` wildcards, e.g. `*__c`. */
  readonly match: string;
  /** Output object receiving the keys (values become text); the output root when absent. */
  readonly into?: string;
  readonly except: readonly string[];
}

export interface RecordKind {
  readonly system: string;
  readonly entity: string;
}

export interface MappingTemplate {
  /** Kebab-case name, e.g. `x3-customer-to-canonical`. */
  readonly name: string;
  /** Increases with every change; results carry `name@version`. */
  readonly version: number;
  readonly id: string;
  readonly description?: string;
  readonly source: RecordKind & { /** path of the record's id, used in messages */ readonly id?: string };
  readonly target: RecordKind;
  /** Records for which this does not hold are skipped, with the reason. */
  readonly when?: Condition;
  readonly translations: ReadonlyMap<string, TranslationTable>;
  readonly fields: readonly FieldRule[];
  readonly passThrough: readonly PassThroughRule[];
  readonly fileName: string;
}
