// @pardot-x3/sandbox-kit: what the Salesforce, Pardot and Sage X3 sandboxes share.
export type { SandboxSystem, SandboxLimitKind } from './sandbox.types.js';

// Deterministic data
export { SeededRandom } from './generator/seeded-random.util.js';
export {
  generateWorld,
  resolveWorldCounts,
  DEFAULT_WORLD_COUNTS,
  DEFAULT_WORLD_REFERENCE_DATE,
  MAX_WORLD_COUNT,
  type GenerateWorldOptions,
} from './generator/world-generator.util.js';
export { WORLD_SITES, VISITOR_ACTIVITY_TYPES } from './generator/world-vocabulary.constants.js';
export type {
  World,
  WorldCounts,
  ResolvedWorldCounts,
  WorldCountry,
  WorldAddress,
  WorldCompany,
  WorldPerson,
  WorldProduct,
  WorldSite,
  WorldStock,
  WorldOpportunity,
  WorldOpportunityLine,
  WorldVisitorActivity,
} from './generator/world.types.js';

// Write ledger, faults, request log
export { WriteLedger, DEFAULT_LEDGER_CAPACITY } from './ledger/write-ledger.service.js';
export type { LedgerEntry, LedgerEntryInput, LedgerQuery, AppliedFault } from './ledger/ledger.types.js';
export { FaultInjector, MAX_FAULT_LATENCY_MS } from './faults/fault-injector.service.js';
export { FaultRuleError } from './faults/fault-rule.error.js';
export type { FaultRule, FaultRuleInput, FaultDecision, FaultOutcome } from './faults/fault-rule.types.js';
export { compileRouteGlob, type RouteGlob } from './faults/route-glob.util.js';
export {
  RequestLog,
  DEFAULT_REQUEST_LOG_CAPACITY,
  type RequestLogEntry,
} from './requests/request-log.service.js';

// HTTP helpers
export type {
  SandboxRequestInfo,
  SandboxResponse,
  SandboxErrorDialect,
  SandboxAdmission,
} from './http/sandbox-http.types.js';
export { sendSandboxResponse } from './http/send-sandbox-response.util.js';
export { redactSecrets, REDACTED } from './http/redact-secrets.util.js';

// Admin API (NestJS)
export { SandboxAdminModule, type SandboxAdminAsyncOptions } from './admin/sandbox-admin.module.js';
export type { SandboxAdminOptions } from './admin/sandbox-admin.options.js';
export { AdminTokenGuard } from './admin/admin-token.guard.js';
export { AdminExceptionFilter, AdminRequestError } from './admin/admin-exception.filter.js';
export {
  SANDBOX_ADMIN_OPTIONS,
  SANDBOX_ADMIN_PATH,
  ADMIN_TOKEN_HEADER,
} from './admin/sandbox-admin.constants.js';
export { SandboxTrafficMiddleware, SandboxFaultMiddleware } from './admin/sandbox-traffic.middleware.js';

// Configuration every sandbox reads
export {
  sandboxConfigSchema,
  parseWorldCounts,
  DEFAULT_SANDBOX_ADMIN_TOKEN,
  isLoopbackHost,
  refuseDefaultAdminTokenOffLoopback,
  type SandboxConfig,
} from './config/sandbox-config.js';

// Access tokens shared by the Salesforce and Pardot sandboxes
export {
  issueSandboxAccessToken,
  verifySandboxAccessToken,
  type IssueSandboxAccessTokenInput,
  type SandboxTokenClaims,
  type SandboxTokenVerification,
} from './tokens/sandbox-access-token.util.js';
