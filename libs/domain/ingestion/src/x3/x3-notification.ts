import { InvalidSourceRecordError } from '../source-record/invalid-source-record.error.js';
import { forbiddenFieldProblems } from '../source-record/source-fields.js';
import { unstorableTextProblems } from '../source-record/source-text.js';
import { isX3SourceClass, type X3SourceClassName } from './x3-source-class.constants.js';
import type { X3ChangeKind } from './x3-source-change.js';

/**
 * A change notification from Sage X3 (a workflow callout; the sandbox's webhook emitter):
 * `{"eventId","folder","class","key","changeType":"CREATE"|"UPDATE","UPDDATTIM","UPDTICK","record":{…}}`.
 */
export interface X3Notification {
  readonly eventId: string;
  readonly folder: string;
  readonly className: X3SourceClassName;
  readonly key: string;
  readonly kind: X3ChangeKind;
  /** The record as `$details` shows it at the moment of the change. */
  readonly record: Readonly<Record<string, unknown>>;
}

/** The notification classes X3 may send that pardot-x3 does not ingest are reported as `ignored`. */
export type ParsedX3Notification =
  | { readonly kind: 'change'; readonly notification: X3Notification }
  | { readonly kind: 'ignored'; readonly className: string; readonly reason: string };

/**
 * Checks a notification body; throws {@link InvalidSourceRecordError} naming every problem, among them
 * any key named `__proto__`, `constructor` or `prototype` anywhere in the body, and any key or text
 * with a NUL character or a lone surrogate — PostgreSQL could not keep them.
 */
export function parseX3Notification(body: unknown): ParsedX3Notification {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidSourceRecordError('X3 notification', ['the body is not a JSON object']);
  const value = body as Record<string, unknown>;
  const problems: string[] = [];
  const text = (field: string): string => {
    const v = value[field];
    if (typeof v === 'string' && v.trim() !== '') return v;
    problems.push(`${field} is ${v === undefined ? 'missing' : 'not a non-empty text'}`);
    return '';
  };
  const eventId = text('eventId');
  const folder = text('folder');
  const className = text('class');
  const key = text('key');
  const changeType = value['changeType'];
  if (changeType !== 'CREATE' && changeType !== 'UPDATE')
    problems.push(`changeType is ${JSON.stringify(changeType ?? null)}, not CREATE or UPDATE`);
  const record = value['record'];
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    problems.push('record is missing or not an object');
  problems.push(...forbiddenFieldProblems(value));
  problems.push(...unstorableTextProblems(value));
  if (problems.length > 0) throw new InvalidSourceRecordError('X3 notification', problems);
  if (!isX3SourceClass(className))
    return { kind: 'ignored', className, reason: `pardot-x3 does not ingest X3 class ${className}` };
  return {
    kind: 'change',
    notification: {
      eventId,
      folder,
      className,
      key,
      kind: changeType as X3ChangeKind,
      record: record as Record<string, unknown>,
    },
  };
}

/**
 * The X3 classes pardot-x3 updates (the customer: engagement score, fields Salesforce owns): only their
 * updates can be echoes. Other classes change as a side effect of our writes (an order we create
 * allocates stock, stamping ITMMVT with our user) — those are real changes and are ingested.
 */
export const X3_CLASSES_WE_UPDATE: readonly string[] = ['BPCUSTOMER'];

/**
 * True when a change is an echo of pardot-x3's own write: an update of a class we update, made by one of
 * the X3 users the integration writes as. Creations by those users (an X3 customer created for a won
 * opportunity) are not echoes: they bring a new record the rest of the pipeline must learn about.
 */
export function isX3OwnUpdate(
  change: { readonly entity: string; readonly changeType: string; readonly origin: string | null },
  integrationUsers: readonly string[],
): boolean {
  if (!X3_CLASSES_WE_UPDATE.includes(change.entity)) return false;
  if (change.changeType !== 'UPDATED' || change.origin === null) return false;
  const origin = change.origin.trim().toUpperCase();
  return integrationUsers.some((user) => user.trim().toUpperCase() === origin);
}
