import type { SObjectRecord } from './sobject-schema.types.js';

export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';

/** Who wrote, and in which transaction: the facts a change event header carries. */
export interface WriteContext {
  /** User the session belongs to (`005…`). */
  readonly userId: string;
  /** `com/salesforce/api/rest/<ver>;client=<id>` for API writes, '' for writes made "in the UI" (admin). */
  readonly changeOrigin: string;
  /** One per API request; collections share it across their records. */
  readonly transactionKey: string;
}

/** A committed change of one record, published to listeners (Change Data Capture). */
export interface RecordChange {
  readonly entityName: string;
  readonly changeType: ChangeType;
  readonly recordId: string;
  /** The record after the change (before it, for DELETE). */
  readonly record: SObjectRecord;
  /** Fields whose value changed (UPDATE), including LastModifiedDate. */
  readonly changedFields: readonly string[];
  /** Changed fields that became null (UPDATE). */
  readonly nulledFields: readonly string[];
  readonly context: WriteContext;
  /** Commit time, epoch ms. */
  readonly committedAt: number;
}
