import type { ChangeType } from '../sobjects/record-change.types.js';

export type GapChangeType = 'GAP_CREATE' | 'GAP_UPDATE' | 'GAP_DELETE' | 'GAP_UNDELETE' | 'GAP_OVERFLOW';

/** The header every change event carries (CDC "ChangeEventHeader"). */
export interface ChangeEventHeader {
  readonly entityName: string;
  readonly recordIds: readonly string[];
  readonly changeType: ChangeType | GapChangeType;
  readonly changeOrigin: string;
  readonly transactionKey: string;
  readonly sequenceNumber: number;
  readonly commitTimestamp: number;
  readonly commitNumber: number;
  readonly commitUser: string;
  readonly nulledFields: readonly string[];
  readonly diffFields: readonly string[];
  readonly changedFields: readonly string[];
}

/** One stored change event with its replay id, as delivered on a CometD channel. */
export interface StoredChangeEvent {
  readonly replayId: number;
  readonly entityName: string;
  /** When it was stored (epoch ms), for retention. */
  readonly storedAt: number;
  /** `{schema, payload: {ChangeEventHeader, ...fields}, event: {replayId}}` */
  readonly data: {
    readonly schema: string;
    readonly payload: Readonly<Record<string, unknown>> & { readonly ChangeEventHeader: ChangeEventHeader };
    readonly event: { readonly replayId: number };
  };
}

export const ALL_CHANGE_EVENTS_CHANNEL = '/data/ChangeEvents';

export function channelForEntity(entityName: string): string {
  return `/data/${entityName}ChangeEvent`;
}
