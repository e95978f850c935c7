/** `ChangeEventHeader` of a Change Data Capture event (field names as Salesforce sends them). */
export interface ChangeEventHeader {
  readonly entityName: string;
  readonly recordIds: readonly string[];
  readonly changeType: ChangeType;
  readonly changedFields?: readonly string[];
  readonly nulledFields?: readonly string[];
  readonly diffFields?: readonly string[];
  /** `com/salesforce/api/<api>/<version>;client=<client id>`: who made the change. */
  readonly changeOrigin: string;
  readonly transactionKey: string;
  readonly sequenceNumber: number;
  /** Epoch milliseconds. */
  readonly commitTimestamp: number;
  readonly commitUser: string;
  readonly commitNumber: number;
}

export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE' | GapChangeType;
export type GapChangeType = 'GAP_CREATE' | 'GAP_UPDATE' | 'GAP_DELETE' | 'GAP_UNDELETE' | 'GAP_OVERFLOW';

/** Where a subscription stands: the last event made durable by the caller. */
export interface ReplayPosition {
  /**
   * The event's position in Salesforce's stream (the wire field `event.replayId` of a CometD message).
   * Named `cdcReplayId` in our code: a bare `replayId` is a Kafka replay run (docs/conventions.md).
   */
  readonly cdcReplayId: number;
  /** `commitTimestamp` of that event (epoch ms): where a gap repair by SystemModstamp starts. */
  readonly commitTimestamp?: number;
}

/**
 * The caller's durable store of replay positions (the ingest service keeps it in PostgreSQL). The
 * subscriber loads it once at start and saves after each event the handler finished with.
 */
export interface ReplayPositionStore {
  load(channel: string): Promise<ReplayPosition | undefined>;
  save(channel: string, position: ReplayPosition): Promise<void>;
}

/** A data change: fields carry the new values (on UPDATE, unchanged fields are null or absent). */
export interface CdcChangeEvent {
  readonly kind: 'change';
  readonly channel: string;
  readonly cdcReplayId: number;
  readonly header: ChangeEventHeader;
  readonly fields: Readonly<Record<string, unknown>>;
  /** Made by this integration itself (`changeOrigin` carries our client id): drop it, do not sync it back. */
  readonly echo: boolean;
}

/**
 * Salesforce could not produce the event's data (GAP_*) or skipped changes (GAP_OVERFLOW): read the
 * records by id (`recordIds`), or for an overflow re-read the entity's window by SystemModstamp.
 */
export interface CdcGapEvent {
  readonly kind: 'gap';
  readonly channel: string;
  readonly cdcReplayId: number;
  readonly header: ChangeEventHeader;
}

/**
 * The stored replay id was refused (older than the 72 h retention, or unknown). The subscriber has
 * already resubscribed for new events; the caller must re-read `[since, until)` by SystemModstamp so
 * nothing in between is skipped. `since` is the stored commit timestamp, when known.
 */
export interface CdcReplayExpiredEvent {
  readonly kind: 'replay-expired';
  readonly channel: string;
  readonly storedPosition: ReplayPosition;
  readonly since?: Date;
  readonly until: Date;
  /** Salesforce's own words, e.g. "400::The replayId {82} you provided was invalid…". */
  readonly reason: string;
}

export type CdcEvent = CdcChangeEvent | CdcGapEvent | CdcReplayExpiredEvent;
