import type { SourceRecordChanged } from '@pardot-x3/canonical';
import { flattenSourceFields, forbiddenFieldProblems } from '../source-record/source-fields.js';
import { InvalidSourceRecordError } from '../source-record/invalid-source-record.error.js';
import type { SourceVersion } from '../source-record/source-version.js';

/** The prospect fields the poller asks Pardot v5 for (custom fields are added from the configuration). */
export const PARDOT_PROSPECT_FIELDS = [
  'id',
  'email',
  'firstName',
  'lastName',
  'company',
  'phone',
  'addressOne',
  'addressTwo',
  'city',
  'state',
  'zip',
  'country',
  'industry',
  'score',
  'grade',
  'salesforceLeadId',
  'salesforceContactId',
  'salesforceAccountId',
  'isDeleted',
  'createdAt',
  'updatedAt',
] as const;

/** The visitor activity fields the poller asks Pardot v5 for. */
export const PARDOT_VISITOR_ACTIVITY_FIELDS = [
  'id',
  'prospectId',
  'visitorId',
  'type',
  'typeName',
  'details',
  'campaignId',
  'createdAt',
  'updatedAt',
] as const;

/**
 * A Pardot v5 prospect as a source event (fields in v5 camelCase names, custom fields by API name):
 * `changedAt` is `updatedAt`; CREATED when `createdAt` equals `updatedAt`, DELETED when `isDeleted`.
 */
export function pardotProspectSourceChange(
  prospect: Readonly<Record<string, unknown>>,
  businessUnitId: string | null,
): { change: SourceRecordChanged; version: SourceVersion } {
  const id = prospect['id'];
  const updatedAt = parsePardotDateTime(prospect['updatedAt']);
  const problems: string[] = [];
  if (typeof id !== 'number' && typeof id !== 'string') problems.push('id is missing');
  if (updatedAt === undefined) problems.push('updatedAt is missing or not a date-time');
  problems.push(...forbiddenFieldProblems(prospect));
  if (problems.length > 0 || updatedAt === undefined)
    throw new InvalidSourceRecordError('Pardot prospect', problems);
  const createdAt = parsePardotDateTime(prospect['createdAt']);
  const changeType =
    prospect['isDeleted'] === true ? 'DELETED' : createdAt === updatedAt ? 'CREATED' : 'UPDATED';
  return {
    change: {
      system: 'PARDOT',
      sourceInstance: businessUnitId,
      entity: 'Prospect',
      recordId: String(id),
      changeType,
      changedAt: new Date(updatedAt),
      via: 'POLL',
      changedFields: [],
      fields: flattenSourceFields(prospect),
      lines: [],
      origin: null,
    },
    version: { changedAt: updatedAt },
  };
}

/** A Pardot v5 visitor activity as a source event (`changedAt` = `createdAt`; activities do not change). */
export function pardotVisitorActivitySourceChange(
  activity: Readonly<Record<string, unknown>>,
  businessUnitId: string | null,
): { change: SourceRecordChanged; version: SourceVersion } {
  const id = activity['id'];
  const createdAt = parsePardotDateTime(activity['createdAt']);
  const problems: string[] = [];
  if (typeof id !== 'number' && typeof id !== 'string') problems.push('id is missing');
  if (createdAt === undefined) problems.push('createdAt is missing or not a date-time');
  problems.push(...forbiddenFieldProblems(activity));
  if (problems.length > 0 || createdAt === undefined)
    throw new InvalidSourceRecordError('Pardot visitor activity', problems);
  return {
    change: {
      system: 'PARDOT',
      sourceInstance: businessUnitId,
      entity: 'VisitorActivity',
      recordId: String(id),
      changeType: 'CREATED',
      changedAt: new Date(createdAt),
      via: 'POLL',
      changedFields: [],
      fields: flattenSourceFields(activity),
      lines: [],
      origin: null,
    },
    version: { changedAt: createdAt },
  };
}

/**
 * True when a prospect read from Pardot is the state pardot-x3 itself wrote: Pardot stamps every write
 * with a new `updatedAt`, so a prospect whose `updatedAt` is the one our last write got back has not
 * been changed by anyone else since.
 */
export function isPardotOwnWrite(prospectUpdatedAt: number, ownWriteUpdatedAt: number | undefined): boolean {
  return ownWriteUpdatedAt !== undefined && prospectUpdatedAt === ownWriteUpdatedAt;
}

/** A Pardot v5 date-time (ISO 8601 with an offset) as milliseconds. */
export function parsePardotDateTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
