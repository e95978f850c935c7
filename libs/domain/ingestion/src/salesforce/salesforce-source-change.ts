import type { ChangeType, IngestChannel, SourceRecordChanged, SourceRecordLine } from '@pardot-x3/canonical';
import {
  flattenSourceFields,
  forbiddenFieldProblems,
  type SourceFieldValue,
} from '../source-record/source-fields.js';
import { InvalidSourceRecordError } from '../source-record/invalid-source-record.error.js';
import type { SourceVersion } from '../source-record/source-version.js';

/** The Salesforce objects pardot-x3 ingests. */
export const SALESFORCE_SOURCE_OBJECTS = ['Lead', 'Contact', 'Account', 'Opportunity'] as const;
export type SalesforceSourceObject = (typeof SALESFORCE_SOURCE_OBJECTS)[number];

export function isSalesforceSourceObject(name: string): name is SalesforceSourceObject {
  return (SALESFORCE_SOURCE_OBJECTS as readonly string[]).includes(name);
}

/** A Change Data Capture event for one record (a merged event is split per record id by the caller). */
export interface SalesforceCdcChange {
  readonly entityName: string;
  readonly recordId: string;
  readonly changeType: 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';
  /** Epoch milliseconds. */
  readonly commitTimestamp: number;
  /** Field names as CDC sends them: compound parts as `MailingAddress.Street`, `Name.FirstName`. */
  readonly changedFields: readonly string[];
  readonly nulledFields: readonly string[];
  /** The event's field values (compound fields grouped, unchanged fields null on UPDATE). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly changeOrigin: string;
  readonly cdcReplayId: number;
  /** The org id (`sourceInstance`), when known. */
  readonly orgId?: string | null;
}

const CDC_CHANGE_TYPES: Readonly<Record<SalesforceCdcChange['changeType'], ChangeType>> = {
  CREATE: 'CREATED',
  UPDATE: 'UPDATED',
  DELETE: 'DELETED',
  UNDELETE: 'UNDELETED',
};

/** Fields of a change event that are not record fields. */
const EVENT_ONLY_FIELDS = new Set(['ChangeEventHeader']);

/**
 * A CDC event as a source event, in the REST API's field names so one mapping template reads CDC, polls
 * and backfills alike: compound fields are ungrouped (`MailingAddress.Street` → `MailingStreet`,
 * `Name.FirstName` → `FirstName`). An UPDATE carries only the fields it changed (`changedFields`) and
 * the ones it emptied (`nulledFields`, as null): the others are unknown to this event, not empty.
 */
export function salesforceCdcSourceChange(event: SalesforceCdcChange): {
  change: SourceRecordChanged;
  version: SourceVersion;
} {
  const forbidden = forbiddenFieldProblems(event.fields);
  if (forbidden.length > 0) throw new InvalidSourceRecordError(`Salesforce ${event.entityName}`, forbidden);
  const restFields = ungroupCompoundFields(event.fields);
  let fields: Record<string, SourceFieldValue>;
  if (event.changeType === 'UPDATE') {
    const named = new Set([...event.changedFields, ...event.nulledFields].map((name) => restFieldName(name)));
    fields = Object.fromEntries(Object.entries(restFields).filter(([name]) => named.has(name)));
    for (const nulled of event.nulledFields) fields[restFieldName(nulled)] = null;
  } else if (event.changeType === 'DELETE') {
    fields = {};
  } else {
    fields = restFields;
  }
  fields['Id'] = event.recordId;
  return {
    change: {
      system: 'SALESFORCE',
      sourceInstance: event.orgId ?? null,
      entity: event.entityName,
      recordId: event.recordId,
      changeType: CDC_CHANGE_TYPES[event.changeType],
      changedAt: new Date(event.commitTimestamp),
      via: 'CDC',
      changedFields: [...new Set(event.changedFields.map((name) => restFieldName(name)))],
      fields,
      lines: [],
      origin: event.changeOrigin || null,
    },
    version: { changedAt: event.commitTimestamp, sequence: event.cdcReplayId },
  };
}

export interface SalesforceRecordInput {
  readonly sobject: string;
  /** The record as the REST API returned it (`attributes` is ignored; relationships become `Account.Name`). */
  readonly record: Readonly<Record<string, unknown>>;
  readonly via: Extract<IngestChannel, 'POLL' | 'BACKFILL' | 'CDC'>;
  /** SNAPSHOT for backfills and reconciliation; UPDATED for a record re-read after a CDC gap or an expired replay id. */
  readonly changeType: Extract<ChangeType, 'SNAPSHOT' | 'UPDATED' | 'CREATED'>;
  /** Child records read with it, e.g. an Opportunity's `OpportunityLineItems`. */
  readonly children?: readonly { readonly relationship: string; readonly entity: string }[];
  readonly orgId?: string | null;
}

/**
 * A record read through the REST API (SOQL poll, backfill, re-read of a CDC gap) as a source event.
 * `changedAt` is `SystemModstamp` (else `LastModifiedDate`); child records listed in `children` become
 * `lines` (e.g. `OpportunityLineItems` → lines of entity `OpportunityLineItem`).
 */
export function salesforceRecordSourceChange(input: SalesforceRecordInput): {
  change: SourceRecordChanged;
  version: SourceVersion;
} {
  const { record } = input;
  const id = record['Id'];
  const stamp = parseSalesforceDateTime(record['SystemModstamp'] ?? record['LastModifiedDate']);
  const problems: string[] = [];
  if (typeof id !== 'string' || id === '') problems.push('Id is missing');
  if (stamp === undefined) problems.push('SystemModstamp and LastModifiedDate are missing or not date-times');
  problems.push(...forbiddenFieldProblems(record));
  if (problems.length > 0 || typeof id !== 'string' || stamp === undefined)
    throw new InvalidSourceRecordError(`Salesforce ${input.sobject}`, problems);
  const children = input.children ?? [];
  const lines: SourceRecordLine[] = children.flatMap(({ relationship, entity }) =>
    childRecords(record[relationship]).map((child, index) => ({
      entity,
      recordId: typeof child['Id'] === 'string' ? child['Id'] : String(index + 1),
      fields: flattenSourceFields(child),
    })),
  );
  return {
    change: {
      system: 'SALESFORCE',
      sourceInstance: input.orgId ?? null,
      entity: input.sobject,
      recordId: id,
      changeType: input.changeType,
      changedAt: new Date(stamp),
      via: input.via,
      changedFields: [],
      fields: flattenSourceFields(record, { omit: children.map((c) => c.relationship) }),
      lines,
      origin: null,
    },
    version: { changedAt: stamp },
  };
}

/** A relationship query result (`{ records: [...] }`) or a plain array, as records. */
function childRecords(value: unknown): Record<string, unknown>[] {
  const list = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null && Array.isArray((value as { records?: unknown }).records)
      ? (value as { records: unknown[] }).records
      : [];
  return list.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
}

/** `MailingAddress.Street` → `MailingStreet`, `Address.City` → `City`, `Name.FirstName` → `FirstName`. */
export function restFieldName(cdcName: string): string {
  const dot = cdcName.indexOf('.');
  if (dot < 0) return cdcName;
  const group = cdcName.slice(0, dot);
  const component = cdcName.slice(dot + 1);
  if (group === 'Name') return component;
  if (group.endsWith('Address')) return `${group.slice(0, -'Address'.length)}${component}`;
  return `${group}.${component}`;
}

function ungroupCompoundFields(fields: Readonly<Record<string, unknown>>): Record<string, SourceFieldValue> {
  const out: Record<string, SourceFieldValue> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (EVENT_ONLY_FIELDS.has(name)) continue;
    const compound =
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      (name === 'Name' || name.endsWith('Address'));
    if (compound) {
      for (const [component, part] of Object.entries(value as Record<string, unknown>)) {
        const flat = flattenSourceFields({ v: part });
        out[restFieldName(`${name}.${component}`)] = flat['v'] ?? null;
      }
      continue;
    }
    Object.assign(out, flattenSourceFields({ [name]: value }));
  }
  return out;
}

/** A Salesforce date-time (`2026-11-26T10:15:00.000+0000`) as milliseconds. */
export function parseSalesforceDateTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? undefined : ms;
}
