import type { ValueProblemCode } from '../harmonisation/harmonisation.types.js';
import type { JsonValue } from '../template/mapping-template.types.js';

/** The output of a template: plain JSON, nested where the template's output paths have dots. */
export type MappedRecord = { [key: string]: JsonValue };

/** A value that could not be mapped, or (as a warning) was mapped with a caveat. */
export interface FieldProblem {
  /** Output field, e.g. `email` or `lines[2].ITMREF`. */
  readonly field: string;
  readonly code: ValueProblemCode;
  /** A sentence a user can act on: `email: "jane@@acme.com" (from Email) is not a valid email address: it has more than one '@'`. */
  readonly message: string;
  readonly sourcePath?: string;
  readonly value?: JsonValue;
}

/**
 * An optional field left out of a mapped record because its source value was invalid (a rule with
 * `onInvalid: warn`, e.g. a phone number that is not one): the record goes on without it, and this says
 * which field and why, without the value (it may be personal data). Identity fields never get here:
 * their rules reject the record.
 */
export interface QuarantinedField {
  /** Output field, e.g. `phone`. */
  readonly field: string;
  /** The rule the value broke: the problem code, e.g. `invalid-phone`. */
  readonly rule: ValueProblemCode;
  /** Why, without the value: `is not a valid phone number for US`. */
  readonly reason: string;
  /** The source field the value came from, e.g. `TEL`. */
  readonly sourceField?: string;
}

/** How one output field got its value: what `mapping preview` prints. */
export interface FieldTrace {
  readonly field: string;
  /** set: a value; cleared: the source says empty; unknown: the source does not carry it; defaulted: the template's default; skipped: its when: did not hold; invalid: see the problems. */
  readonly outcome: 'set' | 'cleared' | 'unknown' | 'defaulted' | 'skipped' | 'invalid';
  readonly value?: JsonValue;
  /** The rule in words: `from MailingCity or BillingCity, as text`. */
  readonly rule: string;
  readonly note?: string;
}

interface ResultBase {
  /** `name@version` of the template that produced this result. */
  readonly templateId: string;
  /** The source record's id (the template's source.id), for messages. */
  readonly recordId?: string;
  readonly trace: readonly FieldTrace[];
}

export interface MappedResult extends ResultBase {
  readonly outcome: 'mapped';
  readonly record: MappedRecord;
  readonly warnings: readonly FieldProblem[];
  /** Optional fields left out because their values were invalid (also among the warnings, with the value). */
  readonly quarantined: readonly QuarantinedField[];
  /** Top-level source fields that no rule read and no passThrough copied. */
  readonly unmappedSourceFields: readonly string[];
}

export interface SkippedResult extends ResultBase {
  readonly outcome: 'skipped';
  /** Why the template's when: did not hold, e.g. `email is empty`. */
  readonly reason: string;
}

export interface RejectedResult extends ResultBase {
  readonly outcome: 'rejected';
  /** Every problem of the record at once. */
  readonly problems: readonly FieldProblem[];
  readonly warnings: readonly FieldProblem[];
}

export type MappingResult = MappedResult | SkippedResult | RejectedResult;
