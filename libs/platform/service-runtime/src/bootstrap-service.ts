import { ConfigValidationError } from '@pardot-x3/config';
import { createLogger, type Logger } from '@pardot-x3/observability';
import type { z } from 'zod';
import { createServiceApp } from './create-service-app.js';
import type { ServiceApp, ServiceAppOptions, ServiceConfigSchema } from './service-app.types.js';
import { ExitCode } from './service-runtime.constants.js';
import { ServiceStartError } from './service-start.error.js';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * The whole life of a service process, in one call from `main.ts`:
 * validate the configuration (exit 78 listing every problem), build the Nest app, listen on
 * HOST:PORT, and on SIGTERM/SIGINT shut down gracefully and exit 0, or exit 3 when the work does not
 * finish within SHUTDOWN_GRACE_MS. Startup failures, uncaught exceptions and unhandled rejections are
 * logged and exit 1.
 */
export async function bootstrapService<S extends ServiceConfigSchema>(
  options: ServiceAppOptions<S>,
): Promise<ServiceApp<z.output<S>>> {
  let service: ServiceApp<z.output<S>>;
  try {
    service = await createServiceApp(options);
  } catch (error) {
    return exitOnStartupError(options, error);
  }
  installCrashHandlers(service.logger);
  routeProcessWarningsToLog(service.logger);
  // Before listening: a SIGTERM while modules start (connect, subscribe) is a graceful stop too.
  installShutdownHandlers(service);
  try {
    await service.listen();
  } catch (error) {
    // Stopped by a signal while starting: the shutdown handler reports and exits.
    if (service.readiness.isDraining) return service;
    service.logger.fatal({ err: error }, 'startup failed');
    return process.exit(ExitCode.Crashed);
  }
  return service;
}

function exitOnStartupError(options: ServiceAppOptions<ServiceConfigSchema>, error: unknown): never {
  const logger = createLogger({
    service: options.service,
    level: 'info',
    destination: options.logDestination,
  });
  if (error instanceof ConfigValidationError) {
    logger.fatal({ problems: error.problems }, error.message);
    // Also readable by a person starting the service by hand.
    process.stderr.write(`${error.message}\n`);
    return process.exit(ExitCode.InvalidConfig);
  }
  // A ServiceStartError was logged by createServiceApp, with the service's own logger.
  if (!(error instanceof ServiceStartError)) logger.fatal({ err: error }, 'startup failed');
  return process.exit(ExitCode.Crashed);
}

function installCrashHandlers(logger: Logger): void {
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception; exiting');
    process.exit(ExitCode.Crashed);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection; exiting');
    process.exit(ExitCode.Crashed);
  });
}

/**
 * Node prints process warnings as plain text on stderr; here they become JSON log lines like the rest.
 * kafkajs 2.2.4 triggers a harmless TimeoutNegativeWarning on every connection under Node 24
 * (tulios/kafkajs#1751, unfixed upstream): logged at debug so it does not read as a problem.
 */
function routeProcessWarningsToLog(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    const fields = { warning: { name: warning.name, message: warning.message } };
    if (warning.name === 'TimeoutNegativeWarning')
      logger.debug(fields, 'process warning (known kafkajs issue)');
    else logger.warn(fields, 'process warning');
  });
}

function installShutdownHandlers(service: ServiceApp): void {
  const { logger } = service;
  const graceMs = service.config.SHUTDOWN_GRACE_MS;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'already shutting down; waiting for in-flight work');
      return;
    }
    stopping = true;
    const deadline = setTimeout(() => {
      logger.error(
        { signal, graceMs },
        'shutdown did not finish within SHUTDOWN_GRACE_MS; exiting without waiting further',
      );
      process.exit(ExitCode.ShutdownTimedOut);
    }, graceMs);
    service.shutdown(signal).then(
      () => {
        clearTimeout(deadline);
        logger.info({ signal }, 'shutdown complete');
        process.exit(ExitCode.Stopped);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        logger.error({ err: error, signal }, 'shutdown failed');
        process.exit(ExitCode.Crashed);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
}
