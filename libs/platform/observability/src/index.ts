export { createLogger, redactSecretsInText, REDACTED_PATHS, type Logger, type CreateLoggerOptions } from './logger.js';
export { metricsRegistry, initMetrics } from './metrics.js';
