import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { z } from 'zod';
import {
  accessConfigSchema,
  ConfigValidationError,
  loadConfig,
  redactConfig,
  secretValues,
} from '@pardot-x3/config';
import { AccessConfigError, createAuthenticator, type Authenticator } from '@pardot-x3/access';
import { createLogger, initMetrics } from '@pardot-x3/observability';
import { ReadinessRegistry } from './health/readiness-registry.service.js';
import { createNestLogger, serviceLoggerParams } from './logging/service-logger.module.js';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware.js';
import { Utf8BodyInterceptor } from './request-validation/utf8-body.interceptor.js';
import type {
  ServiceApp,
  ServiceAppOptions,
  ServiceConfigSchema,
  ServiceModule,
  ServiceModuleSource,
} from './service-app.types.js';
import { ServiceRuntimeModule } from './service-runtime.module.js';
import { ServiceStartError } from './service-start.error.js';

@Module({})
class ServiceRootModule {}

/**
 * Validates the configuration (throws `ConfigValidationError` listing every problem), then builds the
 * Nest application (throws `ServiceStartError`, after logging the cause, when that fails) with JSON logging, health, metrics and the service's own module. Does not listen
 * and installs no process handlers: `bootstrapService` does both; tests call this directly.
 */
export async function createServiceApp<S extends ServiceConfigSchema>(
  options: ServiceAppOptions<S>,
): Promise<ServiceApp<z.output<S>>> {
  const env = options.env ?? process.env;
  const config = loadConfig(options.service, options.configSchema, env) as z.output<S>;
  const authenticator = options.access === 'none' ? undefined : loadAuthenticator(options.service, env);
  const version = config.PX3_VERSION ?? options.version ?? packageVersionOfEntryScript() ?? 'unknown';
  const logger = createLogger({
    service: options.service,
    level: config.LOG_LEVEL,
    base: { version },
    destination: options.logDestination,
    // Every secret setting's value is scrubbed from every line, whatever field or message carries it.
    secretValues: secretValues(options.configSchema, config),
  });
  logger.info({ config: redactConfig(options.configSchema, config) }, 'configuration loaded');
  if (authenticator?.acceptsNothing)
    logger.warn(
      'no API key and no OIDC provider configured: every route but /health and /metrics answers 401 (see docs/security.md)',
    );
  else if (authenticator) logger.info({ access: authenticator.describe() }, 'access control configured');
  initMetrics(options.service, { version });
  const loggerParams = serviceLoggerParams(logger);

  const root: DynamicModule = {
    module: ServiceRootModule,
    imports: [
      ServiceRuntimeModule.forRoot({
        info: { name: options.service, version },
        config,
        logger,
        loggerParams,
        readinessCheckTimeoutMs: config.READINESS_CHECK_TIMEOUT_MS,
        ...(authenticator ? { authenticator } : {}),
      }),
      resolveModule(options.module, config),
    ],
  };
  let nest: INestApplication;
  try {
    // rawBody: webhook handlers verify signatures over the exact bytes received (`req.rawBody`).
    nest = await NestFactory.create(root, {
      logger: createNestLogger(loggerParams),
      abortOnError: false,
      rawBody: true,
    });
  } catch (error) {
    logger.fatal({ err: error }, 'startup failed');
    throw new ServiceStartError(options.service, error);
  }
  nest.use(httpMetricsMiddleware());
  nest.useGlobalInterceptors(new Utf8BodyInterceptor());
  const readiness = nest.get(ReadinessRegistry);

  let shutdownPromise: Promise<void> | undefined;
  return {
    service: options.service,
    version,
    config,
    logger,
    nest,
    readiness,
    async listen() {
      await nest.listen(config.PORT, config.HOST);
      const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
      logger.info({ url, readinessChecks: readiness.names() }, 'service started');
      return url;
    },
    shutdown(signal?: string) {
      shutdownPromise ??= (async () => {
        readiness.startDraining();
        logger.info({ signal }, 'shutdown started: readiness reports 503, stopping work');
        await nest.close();
      })();
      return shutdownPromise;
    },
  };
}

/** The access settings, validated at boot like the rest of the configuration (exit 78 when not valid). */
function loadAuthenticator(service: string, env: NodeJS.ProcessEnv): Authenticator {
  try {
    return createAuthenticator(loadConfig(service, accessConfigSchema, env));
  } catch (error) {
    if (error instanceof AccessConfigError) throw new ConfigValidationError(service, error.problems);
    throw error;
  }
}

function resolveModule<C>(source: ServiceModuleSource<C>, config: C): ServiceModule {
  if (typeof source !== 'function' || isClass(source)) return source;
  return source(config);
}

/** A module class (`class AppModule {}`) rather than a factory function (`(config) => AppModule.register(config)`). */
function isClass(fn: unknown): fn is Type<unknown> {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/** The `version` of the package.json beside the entry script's folder (apps/<service>/dist/main.js → apps/<service>/package.json). */
function packageVersionOfEntryScript(): string | undefined {
  const entry = process.argv[1];
  if (!entry) return undefined;
  try {
    const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}
