import { CUSTOM_FIELD_PREFIX, MASTERED_FIELDS } from '../customer/customer-field.constants.js';
import type { CustomerFields, CustomerObservation } from '../customer/customer.types.js';
import { canonicalJson } from '../survivorship/field-survivorship.js';

/** What mdm remembers of one source record: its last known values and the source time of its newest version. */
export interface SourceRecordState {
  readonly observedAt: number;
  readonly fields: CustomerFields;
}

export type ObservationDelta =
  | {
      readonly kind: 'stale';
      /** Why nothing is offered, e.g. an older version that arrived after a newer one. */
      readonly reason: string;
    }
  | {
      readonly kind: 'changes';
      /** The observation reduced to what changed in its source record (identity and time kept). */
      readonly observation: CustomerObservation;
      /** Fields that changed, as survivorship names them (`address`, `customFields.Foo__c`). */
      readonly changedFields: readonly string[];
      /** The record's state to remember after this observation. */
      readonly state: SourceRecordState;
    };

/**
 * Reduces an observation to what changed in its source record since the last one, so survivorship
 * weighs each value by when **it** changed, not by when its record last changed for another reason:
 *
 * - a field with the same value as last time is not offered again (a phone X3 has always had does not
 *   become "the most recent change" because someone edited the customer's name);
 * - a field the record never had a value for and still has none (null the first time) is no news;
 *   emptying a value it had (null after a value) is offered: that is a clearing;
 * - an observation older than the newest already seen of the same record is stale (a retried message
 *   overtaken by a later version) and offers nothing.
 *
 * Snapshots (X3 records, REST reads) carry every field; this keeps them from overruling fresher values
 * with old ones. An address that comes in parts (a CDC update of one of its fields) is completed with
 * the record's last known parts, so the address offered is the one the source now has.
 */
export function observationDelta(
  previous: SourceRecordState | undefined,
  observation: CustomerObservation,
): ObservationDelta {
  if (previous && observation.observedAt < previous.observedAt) {
    return {
      kind: 'stale',
      reason: `${observation.sourceSystem} ${observation.sourceEntity} ${observation.sourceId} changed at ${new Date(previous.observedAt).toISOString()} already; this older version (${new Date(observation.observedAt).toISOString()}) is not applied`,
    };
  }
  const offered: Record<string, unknown> = {};
  const state: Record<string, unknown> = { ...previous?.fields };
  const changedFields: string[] = [];
  for (const field of MASTERED_FIELDS) {
    const before = previous?.fields[field];
    const value = completeValue(field, before, observation[field]);
    if (value === undefined) continue;
    state[field] = value;
    if (isNews(before, value)) {
      offered[field] = value;
      changedFields.push(field);
    }
  }
  const customOffered: Record<string, string | null> = {};
  const customState: Record<string, string | null> = { ...previous?.fields.customFields };
  for (const [key, value] of Object.entries(observation.customFields ?? {})) {
    const before = previous?.fields.customFields?.[key];
    customState[key] = value;
    if (isNews(before, value)) {
      customOffered[key] = value;
      changedFields.push(`${CUSTOM_FIELD_PREFIX}${key}`);
    }
  }
  if (Object.keys(customOffered).length > 0) offered['customFields'] = customOffered;
  if (Object.keys(customState).length > 0) state['customFields'] = customState;
  return {
    kind: 'changes',
    observation: {
      sourceSystem: observation.sourceSystem,
      sourceEntity: observation.sourceEntity,
      sourceId: observation.sourceId,
      observedAt: observation.observedAt,
      ...offered,
    } as CustomerObservation,
    changedFields,
    state: {
      observedAt: Math.max(observation.observedAt, previous?.observedAt ?? observation.observedAt),
      fields: state as CustomerFields,
    },
  };
}

/**
 * An address survives as a whole, but a source may send only the parts that changed (a Salesforce CDC
 * update of MailingCity): the record's address is then its last known address with those parts
 * replaced. Other values are taken as they come.
 */
function completeValue(field: string, before: unknown, value: unknown): unknown {
  if (field !== 'address' || !isRecord(value) || !isRecord(before)) return value;
  return { ...before, ...value };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value is news when it differs from the last one; an empty value where there never was one is not. */
function isNews(before: unknown, value: unknown): boolean {
  if (before === undefined) return value !== null;
  return canonicalJson(before) !== canonicalJson(value);
}
