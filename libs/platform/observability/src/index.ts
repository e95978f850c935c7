export {
  createLogger,
  loggerOptions,
  redactSecretsInText,
  secretValueScrubber,
  registerSecretValues,
  REDACTED,
  REDACTED_PATHS,
  type Logger,
  type CreateLoggerOptions,
} from './logger.js';
export {
  metricsRegistry,
  initMetrics,
  httpServerMetrics,
  type InitMetricsOptions,
  type HttpServerMetrics,
} from './metrics.js';
