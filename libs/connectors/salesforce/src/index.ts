export {
  salesforceConfigSchema,
  salesforceCredentialsFromConfig,
  type SalesforceConfig,
  type SalesforceCredentials,
} from './salesforce.config.js';
export {
  SalesforceAuth,
  signJwtBearerAssertion,
  type SalesforceAuthOptions,
  type SalesforceSession,
  type SalesforceTokenProvider,
  type JwtBearerClaims,
} from './salesforce-auth.js';
export {
  SalesforceClient,
  SALESFORCE_COLLECTION_LIMIT,
  toRecordResult,
  type SalesforceClientOptions,
} from './salesforce-client.js';
export {
  SalesforceApiError,
  SalesforceRequestLimitError,
  SalesforceAuthError,
  parseSalesforceErrors,
  classifySalesforceError,
  salesforceErrorFromResponse,
  type SalesforceErrorEntry,
} from './salesforce.error.js';
export { parseSforceLimitInfo, type SforceLimitInfo } from './sforce-limit-info.js';
export { soqlName, soqlFieldList, soqlString, soqlId, soqlDateTime } from './soql.util.js';
export type {
  SalesforceRecord,
  SalesforceFieldValues,
  SalesforceRecordResult,
  SalesforceUpsertResult,
  SalesforceModstampField,
  SalesforceChangeWindow,
  SalesforceApiUsage,
} from './salesforce.types.js';
export {
  SalesforceCdcSubscriber,
  REPLAY_ALL_RETAINED,
  REPLAY_NEW_EVENTS_ONLY,
  type SalesforceCdcSubscriberOptions,
} from './salesforce-cdc-subscriber.js';
export {
  parseCdcMessage,
  isOwnChange,
  replayRejectionReason,
  isAuthenticationFailure,
} from './cdc-message.js';
export type {
  ChangeEventHeader,
  ChangeType,
  GapChangeType,
  ReplayPosition,
  ReplayPositionStore,
  CdcEvent,
  CdcChangeEvent,
  CdcGapEvent,
  CdcReplayExpiredEvent,
} from './change-event.types.js';
