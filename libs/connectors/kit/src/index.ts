export {
  ExternalApiError,
  networkErrorCode,
  sanitizedCause,
  isTransientHttpStatus,
  type ExternalSystem,
  type ExternalApiErrorKind,
  type ExternalApiErrorDetails,
} from './external-api.error.js';
export { externalApiMetrics, observeExternalCall, type ExternalApiMetrics } from './external-api.metrics.js';
export { sourceMetrics, type SourceMetrics } from './source.metrics.js';
export { runPollLoop, PollLoops, type PollLoopOptions } from './poll-loop.js';
export {
  retryTransient,
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  type RetryHooks,
} from './retry-policy.js';
