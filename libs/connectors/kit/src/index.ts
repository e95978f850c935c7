export {
  ExternalApiError,
  sanitizedCause,
  type ExternalSystem,
  type ExternalApiErrorKind,
  type ExternalApiErrorDetails,
} from './external-api.error.js';
export { externalApiMetrics, observeExternalCall, type ExternalApiMetrics } from './external-api.metrics.js';
export { sourceMetrics, type SourceMetrics } from './source.metrics.js';
export { mayHaveBeenApplied, retryTransient, type RetryHooks } from './retry-policy.js';
export {
  HttpExchange,
  type AccessSession,
  type AccessTokenSource,
  type HttpExchangeOptions,
  type ExchangeSendOptions,
} from './http-exchange.js';
