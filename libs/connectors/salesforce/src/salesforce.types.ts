import type { FailureClassification } from '@pardot-x3/failure-policy';
import type { SalesforceErrorEntry } from './salesforce.error.js';

/** A record as the REST API returns it: `Id`, optional `attributes`, and the requested fields. */
export interface SalesforceRecord {
  readonly Id: string;
  readonly attributes?: { readonly type: string; readonly url?: string };
  readonly [field: string]: unknown;
}

/** Field values to write (API names → values); `null` clears a field. */
export type SalesforceFieldValues = Readonly<Record<string, unknown>>;

/** Outcome of one record of an sObject Collections call, in the order the records were given. */
export interface SalesforceRecordResult {
  /** Position of the record in the caller's array. */
  readonly index: number;
  readonly success: boolean;
  readonly id?: string;
  /** Upserts: true when the record was created. */
  readonly created?: boolean;
  readonly errors: readonly SalesforceErrorEntry[];
  /** True when this record failed for a reason worth another try (record lock, rolled back by a sibling). */
  readonly retryable: boolean;
  /** Why it failed, in the failure policy's terms (absent on success). */
  readonly failure?: FailureClassification;
}

/** Result of an upsert by external id. `id` is absent when Salesforce answered 204 (older API versions). */
export interface SalesforceUpsertResult {
  readonly id?: string;
  readonly created: boolean;
}

/** The timestamp a poller or a gap repair reads a window by. */
export type SalesforceModstampField = 'SystemModstamp' | 'LastModifiedDate';

export interface SalesforceChangeWindow {
  readonly sobject: string;
  readonly fields: readonly string[];
  /** Inclusive lower bound (cut to whole seconds, so windows overlap slightly: read at least once). */
  readonly since: Date;
  /** Exclusive upper bound; default: no bound. */
  readonly until?: Date;
  /** Default `SystemModstamp` (moves on every change, system ones included). */
  readonly timestampField?: SalesforceModstampField;
  /** Extra SOQL condition ANDed to the window, e.g. `IsDeleted = false`. Written by code, never by users. */
  readonly where?: string;
}

/** Usage of the org's daily API allocation, from the last `Sforce-Limit-Info` header seen. */
export interface SalesforceApiUsage {
  readonly used: number;
  readonly limit: number;
}
