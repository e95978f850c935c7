// Ingestion rules: how Sage X3, Salesforce and Account Engagement records become source events
// (SourceRecordChanged), which version of a record an event carries, how pollers move their
// watermark, and which changes are echoes of pardot-x3's own writes. Pure; the ingest apps do the I/O.
export {
  flattenSourceFields,
  forbiddenFieldProblems,
  type SourceFieldValue,
  type SourceFields,
  type FlattenOptions,
} from './source-record/source-fields.js';
export {
  compareSourceVersions,
  isNewerSourceVersion,
  sourceVersionIdentity,
  type SourceVersion,
} from './source-record/source-version.js';
export { InvalidSourceRecordError } from './source-record/invalid-source-record.error.js';
export { unstorableTextProblem, unstorableTextProblems } from './source-record/source-text.js';

export {
  X3_SOURCE_CLASSES,
  X3_SOURCE_CLASS_NAMES,
  isX3SourceClass,
  type X3SourceClass,
  type X3SourceClassName,
} from './x3/x3-source-class.constants.js';
export {
  x3SourceChange,
  parseX3DateTime,
  type X3ChangeKind,
  type X3SourceChange,
  type X3SourceChangeInput,
} from './x3/x3-source-change.js';
export {
  parseX3Notification,
  isX3OwnUpdate,
  X3_CLASSES_WE_UPDATE,
  type X3Notification,
  type ParsedX3Notification,
} from './x3/x3-notification.js';
export { x3CustomerTurnover, type X3CustomerTurnover } from './x3/x3-customer-turnover.js';

export {
  SALESFORCE_SOURCE_OBJECTS,
  isSalesforceSourceObject,
  salesforceCdcSourceChange,
  salesforceRecordSourceChange,
  restFieldName,
  parseSalesforceDateTime,
  type SalesforceSourceObject,
  type SalesforceCdcChange,
  type SalesforceRecordInput,
} from './salesforce/salesforce-source-change.js';

export {
  PARDOT_PROSPECT_FIELDS,
  PARDOT_VISITOR_ACTIVITY_FIELDS,
  pardotProspectSourceChange,
  pardotVisitorActivitySourceChange,
  isPardotOwnWrite,
  parsePardotDateTime,
} from './pardot/pardot-source-change.js';

export {
  pollWindowStart,
  advanceWatermark,
  settledPollEnd,
  WHOLE_SECOND_SETTLE_MS,
  type PollWindowPolicy,
} from './polling/poll-window.js';
