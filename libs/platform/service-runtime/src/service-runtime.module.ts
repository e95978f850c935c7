import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Params } from 'nestjs-pino';
import type { Logger } from '@pardot-x3/observability';
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
}

/**
 * What every service has, wired once: JSON logging, `/health/live`, `/health/ready`, `/metrics`, and
 * (globally injectable) the validated configuration, the service info and the readiness registry.
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
        { provide: APP_GUARD, useClass: MatchedRouteGuard },
      ],
      exports: [SERVICE_CONFIG, SERVICE_INFO, ReadinessRegistry],
    };
  }
}
