import type { IngestChannel, SourceRecordChanged, SourceRecordLine } from '@pardot-x3/canonical';
import { flattenSourceFields, forbiddenFieldProblems } from '../source-record/source-fields.js';
import { InvalidSourceRecordError } from '../source-record/invalid-source-record.error.js';
import { unstorableTextProblems } from '../source-record/source-text.js';
import type { SourceVersion } from '../source-record/source-version.js';
import { X3_SOURCE_CLASSES, type X3SourceClassName } from './x3-source-class.constants.js';

/** How the change reached us, as X3 webhooks say it (`CREATE` / `UPDATE`), when known. */
export type X3ChangeKind = 'CREATE' | 'UPDATE';

export interface X3SourceChangeInput {
  readonly className: X3SourceClassName;
  /** The record as `$details` (webhooks, lines included) or `$query` (poller) shows it. */
  readonly record: Readonly<Record<string, unknown>>;
  readonly via: Extract<IngestChannel, 'WEBHOOK' | 'POLL' | 'BACKFILL'>;
  /** The X3 endpoint (folder) the record lives in; `sourceInstance` of the event. */
  readonly folder: string;
  /** What the notification says happened; without it, inferred from UPDTICK / CREDATTIM. */
  readonly kind?: X3ChangeKind;
  /** Extra fields to carry (enrichment such as YTOTREVENUE), merged over the record's. */
  readonly extraFields?: Readonly<Record<string, string | number | null>>;
}

/** A source event for one version of an X3 record, with the version that identifies it. */
export interface X3SourceChange {
  readonly change: SourceRecordChanged;
  readonly version: SourceVersion;
}

/**
 * One version of a Sage X3 record as a source event: the record's properties by X3 name (lines as
 * `lines`), `changedAt` from `UPDDATTIM` (UTC), the version from `UPDTICK` (X3's optimistic-lock counter)
 * or, without it, `UPDDATTIM`; `origin` is `UPDUSR`, the X3 user who made the change.
 */
export function x3SourceChange(input: X3SourceChangeInput): X3SourceChange {
  const definition = X3_SOURCE_CLASSES[input.className];
  const { record } = input;
  const problems: string[] = [];
  const keyParts = definition.keyFields.map((field) => {
    const value = record[field];
    if (typeof value === 'string' && value.trim() !== '' && value.length <= X3_KEY_MAX_LENGTH) return value;
    problems.push(
      value === undefined || value === null || value === ''
        ? `${field} (key) is missing`
        : typeof value !== 'string'
          ? `${field} (key) must be a text, not ${describeType(value)}`
          : `${field} (key) must be 1 to ${X3_KEY_MAX_LENGTH} characters`,
    );
    return '';
  });
  const changedAt = parseX3DateTime(record['UPDDATTIM']);
  if (changedAt === undefined)
    problems.push(`UPDDATTIM is ${record['UPDDATTIM'] === undefined ? 'missing' : 'not an X3 date-time'}`);
  const rawTick = record['UPDTICK'];
  if (rawTick !== undefined && rawTick !== null && !isUpdateTick(rawTick))
    problems.push(
      `UPDTICK (the version) must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, not ${describeType(rawTick)}`,
    );
  problems.push(...forbiddenFieldProblems(record));
  problems.push(...unstorableTextProblems(record));
  if (problems.length > 0 || changedAt === undefined) {
    throw new InvalidSourceRecordError(`X3 ${input.className}`, problems);
  }
  const recordId = keyParts.join('~');
  const tick = isUpdateTick(rawTick) ? rawTick : undefined;
  const lines = definition.lines ? x3Lines(record[definition.lines.table], definition.lines) : [];
  const fields = {
    ...flattenSourceFields(record, { omit: definition.lines ? [definition.lines.table] : [] }),
    ...input.extraFields,
  };
  const origin = typeof record['UPDUSR'] === 'string' && record['UPDUSR'] !== '' ? record['UPDUSR'] : null;
  return {
    change: {
      system: 'X3',
      sourceInstance: input.folder,
      entity: input.className,
      recordId,
      changeType: changeTypeOf(input.kind, tick, record),
      changedAt: new Date(changedAt),
      via: input.via,
      changedFields: [],
      fields,
      lines,
      origin,
    },
    version: { changedAt, sequence: tick },
  };
}

/** X3 keys are short codes (BPCNUM is 15 characters); anything much longer is not a key. */
const X3_KEY_MAX_LENGTH = 64;

/** X3's optimistic-lock counter: a whole, non-negative number. */
function isUpdateTick(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** `a number (42)`, `a text ("7a")`, `a list`… for a problem's message (values cut to 40 characters). */
function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return `a number (${value})`;
    case 'string':
      return `a text (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
    case 'boolean':
      return `a boolean (${value})`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function changeTypeOf(
  kind: X3ChangeKind | undefined,
  tick: number | undefined,
  record: Readonly<Record<string, unknown>>,
): SourceRecordChanged['changeType'] {
  if (kind === 'CREATE') return 'CREATED';
  if (kind === 'UPDATE') return 'UPDATED';
  if (tick !== undefined) return tick <= 1 ? 'CREATED' : 'UPDATED';
  return record['CREDATTIM'] !== undefined && record['CREDATTIM'] === record['UPDDATTIM']
    ? 'CREATED'
    : 'UPDATED';
}

function x3Lines(
  value: unknown,
  definition: { readonly table: string; readonly lineKey: string },
): SourceRecordLine[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((line): line is Record<string, unknown> => typeof line === 'object' && line !== null)
    .map((line, index) => {
      const key = line[definition.lineKey];
      return {
        entity: definition.table,
        recordId: typeof key === 'string' || typeof key === 'number' ? String(key) : String(index + 1),
        fields: flattenSourceFields(line),
      };
    });
}

/**
 * An X3 date-time (`2026-11-26T10:15:00Z`; without an offset X3 means UTC) as milliseconds, or
 * undefined when it is not one.
 */
export function parseX3DateTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  const withZone = /[zZ]$|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?/.test(withZone)) return undefined;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : ms;
}
