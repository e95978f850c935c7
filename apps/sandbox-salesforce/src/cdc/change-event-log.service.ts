import { createHash } from 'node:crypto';
import { findSObject } from '../sobjects/sobject-schema.util.js';
import type { FieldDef, SObjectDef, SObjectRecord } from '../sobjects/sobject-schema.types.js';
import type { RecordChange } from '../sobjects/record-change.types.js';
import {
  ALL_CHANGE_EVENTS_CHANNEL,
  channelForEntity,
  type ChangeEventHeader,
  type GapChangeType,
  type StoredChangeEvent,
} from './change-event.types.js';

const HOUR_MS = 3_600_000;
/** Fields a change event never carries: the id is in recordIds; the rest are computed or internal. */
const NOT_IN_EVENTS = new Set(['Id', 'IsDeleted', 'SystemModstamp']);

export type ChangeEventListener = (events: readonly StoredChangeEvent[]) => void;

/**
 * The org's change event bus for Change Data Capture: turns committed record changes into change
 * events (header + fields, UPDATE carrying only changed fields and null for the others), numbers
 * them with increasing replay ids, keeps them for the retention window and answers "what comes
 * after replay id n on this channel".
 */
export class ChangeEventLog {
  private events: StoredChangeEvent[] = [];
  private lastReplayId = 0;
  private commitNumber = 0;
  /** Highest replay id dropped by retention or by an admin expiry. */
  private expiredThrough = 0;
  private readonly listeners: ChangeEventListener[] = [];

  constructor(
    private retentionMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  onAppend(listener: ChangeEventListener): void {
    this.listeners.push(listener);
  }

  get retentionHours(): number {
    return this.retentionMs / HOUR_MS;
  }

  setRetentionHours(hours: number): void {
    this.retentionMs = hours * HOUR_MS;
    this.prune();
  }

  clear(): void {
    this.events = [];
    this.expiredThrough = this.lastReplayId;
  }

  /** Appends the change events of one committed transaction. */
  record(changes: readonly RecordChange[]): StoredChangeEvent[] {
    const captured = changes.filter((c) => findSObject(c.entityName)?.changeDataCapture === true);
    if (captured.length === 0) return [];
    this.commitNumber += 1;
    const appended = captured.map((change, index) => {
      const def = findSObject(change.entityName) as SObjectDef;
      const header: ChangeEventHeader = {
        entityName: change.entityName,
        recordIds: [change.recordId],
        changeType: change.changeType,
        changeOrigin: change.context.changeOrigin,
        transactionKey: change.context.transactionKey,
        sequenceNumber: index + 1,
        commitTimestamp: change.committedAt,
        commitNumber: this.commitNumber,
        commitUser: change.context.userId,
        nulledFields: change.nulledFields.map((name) => eventFieldName(def, name)),
        diffFields: [],
        changedFields:
          change.changeType === 'UPDATE'
            ? unique(change.changedFields.map((name) => eventFieldName(def, name)))
            : [],
      };
      return this.append(change.entityName, { ChangeEventHeader: header, ...eventFields(def, change) });
    });
    this.publish(appended);
    return appended;
  }

  /** A gap event: Salesforce could not produce the real event; subscribers must re-read the records. */
  emitGap(
    entityName: string,
    recordIds: readonly string[],
    changeType: GapChangeType,
    commitUser: string,
  ): StoredChangeEvent {
    this.commitNumber += 1;
    const header: ChangeEventHeader = {
      entityName,
      recordIds: [...recordIds],
      changeType,
      changeOrigin: '',
      transactionKey: createHash('sha1').update(`gap-${this.commitNumber}`).digest('hex').slice(0, 36),
      sequenceNumber: 1,
      commitTimestamp: this.clock(),
      commitNumber: this.commitNumber,
      commitUser,
      nulledFields: [],
      diffFields: [],
      changedFields: [],
    };
    const event = this.append(entityName, { ChangeEventHeader: header });
    this.publish([event]);
    return event;
  }

  /** Drops events (as if the retention window had passed them): all, or those up to a replay id. */
  expire(throughReplayId?: number): number {
    const limit = throughReplayId ?? this.lastReplayId;
    const before = this.events.length;
    this.events = this.events.filter((e) => e.replayId > limit);
    this.expiredThrough = Math.max(this.expiredThrough, Math.min(limit, this.lastReplayId));
    return before - this.events.length;
  }

  get latestReplayId(): number {
    return this.lastReplayId;
  }

  /** Replay ids a subscriber may resume after: -1, -2, or from the last expired one to the newest. */
  isReplayable(replayId: number): boolean {
    this.prune();
    if (replayId === -1 || replayId === -2) return true;
    return Number.isInteger(replayId) && replayId >= this.expiredThrough && replayId <= this.lastReplayId;
  }

  /** Where delivery starts for a subscription's replay option (-1: new only, -2: all retained, n: after n). */
  startAfter(replayId: number): number {
    this.prune();
    if (replayId === -1) return this.lastReplayId;
    if (replayId === -2) return this.expiredThrough;
    return replayId;
  }

  /** Retained events on a channel with a replay id above `afterReplayId`, oldest first. */
  eventsAfter(channel: string, afterReplayId: number): StoredChangeEvent[] {
    this.prune();
    return this.events.filter((e) => e.replayId > afterReplayId && matchesChannel(channel, e.entityName));
  }

  size(): number {
    this.prune();
    return this.events.length;
  }

  private append(entityName: string, payload: StoredChangeEvent['data']['payload']): StoredChangeEvent {
    this.lastReplayId += 1;
    const event: StoredChangeEvent = {
      replayId: this.lastReplayId,
      entityName,
      storedAt: this.clock(),
      data: { schema: schemaIdFor(entityName), payload, event: { replayId: this.lastReplayId } },
    };
    this.events.push(event);
    return event;
  }

  private publish(events: readonly StoredChangeEvent[]): void {
    for (const listener of this.listeners) listener(events);
  }

  private prune(): void {
    const cutoff = this.clock() - this.retentionMs;
    let dropped = 0;
    while (dropped < this.events.length && (this.events[dropped] as StoredChangeEvent).storedAt < cutoff)
      dropped += 1;
    if (dropped === 0) return;
    this.expiredThrough = Math.max(
      this.expiredThrough,
      (this.events[dropped - 1] as StoredChangeEvent).replayId,
    );
    this.events = this.events.slice(dropped);
  }
}

/** Channels this org serves: all change events, and one per object selected for CDC. */
export function isChangeEventChannel(channel: string): boolean {
  if (channel === ALL_CHANGE_EVENTS_CHANNEL) return true;
  const m = /^\/data\/(\w+)ChangeEvent$/.exec(channel);
  const def = m?.[1] ? findSObject(m[1]) : undefined;
  return def !== undefined && def.changeDataCapture && channelForEntity(def.name) === channel;
}

function matchesChannel(channel: string, entityName: string): boolean {
  return channel === ALL_CHANGE_EVENTS_CHANNEL || channel === channelForEntity(entityName);
}

/** A stable schema id per entity (real ones are opaque 22-character strings). */
function schemaIdFor(entityName: string): string {
  return createHash('sha256').update(`change-event-schema:${entityName}`).digest('base64url').slice(0, 22);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** `BillingCity` → `BillingAddress.City`; person names → `Name.FirstName`; others unchanged. */
function eventFieldName(def: SObjectDef, name: string): string {
  const field = def.fields.find((f) => f.name === name);
  return field?.compound ? `${field.compound.field}.${field.compound.component}` : name;
}

function inEvent(field: FieldDef): boolean {
  return !NOT_IN_EVENTS.has(field.name) && !field.calculated;
}

/** The field part of a change event: compound fields grouped, UPDATE with only changed values. */
function eventFields(def: SObjectDef, change: RecordChange): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const record: SObjectRecord = change.record;
  const changed = new Set(change.changedFields);
  const include = (field: FieldDef): boolean => {
    if (change.changeType === 'DELETE') return false;
    if (change.changeType === 'UPDATE') return changed.has(field.name);
    return true;
  };
  for (const field of def.fields.filter(inEvent)) {
    const value = include(field) ? (record[field.name] ?? null) : null;
    if (field.compound) {
      const existing = out[field.compound.field];
      const group = existing && typeof existing === 'object' ? (existing as Record<string, unknown>) : {};
      group[field.compound.component] = value;
      out[field.compound.field] = group;
    } else {
      out[field.name] = value;
    }
  }
  // A compound field nobody touched is null as a whole, like any unchanged field.
  for (const [name, value] of Object.entries(out)) {
    if (
      value &&
      typeof value === 'object' &&
      Object.values(value as Record<string, unknown>).every((v) => v === null)
    )
      out[name] = null;
  }
  return out;
}
