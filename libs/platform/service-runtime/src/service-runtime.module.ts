import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { Authenticator } from '@pardot-x3/access';
import type { Params } from 'nestjs-pino';
import type { Logger } from '@pardot-x3/observability';
import { AccessGuard, AUTHENTICATOR } from './access/access.guard.js';
import { AuditTrail } from './access/audit-trail.service.js';
import { AuditInterceptor } from './access/audit.interceptor.js';
import { HealthController } from './health/health.controller.js';
import { READINESS_CHECK_TIMEOUT_MS, ReadinessRegistry } from './health/readiness-registry.service.js';
import { serviceLoggerModule } from './logging/service-logger.module.js';
import { MatchedRouteGuard } from './metrics/matched-route.guard.js';
import { MetricsController } from './metrics/metrics.controller.js';
import {
  RUNTIME_LOGGER,
  SERVICE_CONFIG,
  SERVICE_INFO,
  type ServiceInfo,
} from './service-runtime.constants.js';

export interface ServiceRuntimeModuleOptions {
  readonly info: ServiceInfo;
  readonly config: object;
  readonly logger: Logger;
  /** nestjs-pino parameters built on `logger` (see `serviceLoggerParams`). */
  readonly loggerParams: Params;
  readonly readinessCheckTimeoutMs: number;
  /**
   * Checks the credentials of every route but the @Public ones (see `AccessGuard`); absent only for
   * the sandboxes, which guard their admin API with their own token and must answer like the real APIs.
   */
  readonly authenticator?: Authenticator;
}

/**
 * What every service has, wired once: JSON logging, `/health/live`, `/health/ready`, `/metrics`, and
 * (globally injectable) the validated configuration, the service info and the readiness registry.
 * Every other route needs credentials (`AccessGuard`, docs/security.md).
 * `createServiceApp` imports it; services never import it themselves.
 */
@Module({})
export class ServiceRuntimeModule {
  static forRoot(options: ServiceRuntimeModuleOptions): DynamicModule {
    return {
      module: ServiceRuntimeModule,
      global: true,
      imports: [serviceLoggerModule(options.loggerParams)],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: options.config },
        { provide: SERVICE_INFO, useValue: options.info },
        { provide: RUNTIME_LOGGER, useValue: options.logger },
        { provide: READINESS_CHECK_TIMEOUT_MS, useValue: options.readinessCheckTimeoutMs },
        ReadinessRegistry,
        // In this order: the matched route is recorded for the metrics even when access is refused.
        { provide: APP_GUARD, useClass: MatchedRouteGuard },
        ...(options.authenticator
          ? [
              { provide: AUTHENTICATOR, useValue: options.authenticator },
              AuditTrail,
              { provide: APP_GUARD, useClass: AccessGuard },
              { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
            ]
          : []),
      ],
      exports: [SERVICE_CONFIG, SERVICE_INFO, ReadinessRegistry],
    };
  }
}
