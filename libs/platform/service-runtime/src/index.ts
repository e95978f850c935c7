export { bootstrapService } from './bootstrap-service.js';
export { createServiceApp } from './create-service-app.js';
export { ServiceStartError } from './service-start.error.js';
export type {
  ServiceApp,
  ServiceAppOptions,
  ServiceConfigSchema,
  ServiceModule,
  ServiceModuleSource,
} from './service-app.types.js';
export { SERVICE_CONFIG, SERVICE_INFO, ExitCode, type ServiceInfo } from './service-runtime.constants.js';
export type { ReadinessCheck, ReadinessReport, CheckResult } from './health/readiness-check.types.js';
export { ReadinessRegistry } from './health/readiness-registry.service.js';
export { Public, RequireRole, CurrentPrincipal, PRINCIPAL } from './access/access.decorators.js';
export { ReadinessModule } from './health/readiness.module.js';
export {
  KafkaReadinessCheck,
  type KafkaReadinessCheckOptions,
} from './health/checks/kafka-readiness.check.js';
export { SchemaRegistryReadinessCheck } from './health/checks/schema-registry-readiness.check.js';
export { PostgresReadinessCheck } from './health/checks/postgres-readiness.check.js';
export {
  parseRequest,
  describeIssues,
  requestText,
  assertUtf8Body,
} from './request-validation/parse-request.js';
export {
  BackgroundLoop,
  BackgroundLoops,
  loopRetryDelayMs,
  type BackgroundLoopOptions,
  type LoopRunOutcome,
} from './background/background-loop.js';
export { BackgroundService } from './background/background.service.js';
export { backgroundLoopMetrics, type BackgroundLoopMetrics } from './background/background-loop.metrics.js';
