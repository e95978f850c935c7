export {
  FAILURE_KINDS,
  classified,
  isFailureKind,
  isPermanent,
  isRetryable,
  type FailureClassification,
  type FailureKind,
  type SelfClassifiedFailure,
} from './failure-kind.js';
export { classifyFailure } from './classify-failure.js';
export { causeChain, networkErrorCode, requestNeverSent } from './network-failures.js';
export { isTransientHttpStatus } from './http-status.js';
export { classifyKafkaError } from './kafka-failures.js';
export { classifyPostgresError } from './postgres-failures.js';
export { classifyPardotResponse, PARDOT_CODES } from './pardot-failures.js';
export { classifySalesforceResponse } from './salesforce-failures.js';
export { classifyX3Response } from './x3-failures.js';
export { backoffCeilingMs, backoffDelayMs, DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff.js';
