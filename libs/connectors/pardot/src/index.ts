export { pardotConfigSchema, type PardotConfig } from './pardot.config.js';
export { PardotClient, pardotDateTime, type PardotClientOptions } from './pardot-client.js';
export {
  PardotRateLimiter,
  type PardotRateLimiterOptions,
  type PardotBudgetStatus,
} from './pardot-rate-limiter.js';
export { PardotApiLimits1764259200000, PARDOT_CONNECTOR_MIGRATIONS } from './pardot-api-limits.migration.js';
export {
  PardotApiError,
  PARDOT_ERROR,
  parsePardotError,
  classifyPardotError,
  pardotErrorFromResponse,
  maskEmail,
} from './pardot.error.js';
export { budgetDay, nextBudgetReset } from './budget-day.util.js';
export type {
  PardotProspect,
  PardotFieldValues,
  PardotProspectQuery,
  PardotVisitorActivityQuery,
  PardotObject,
  PardotExternalActivity,
  PardotExternalActivityQuery,
  PardotExternalActivityRecord,
} from './pardot.types.js';
export { ConnectionsModule, type ConnectionsConfig } from './connections.module.js';
