/** Injection token of the validated configuration (the output of the service's zod schema). */
export const SERVICE_CONFIG = Symbol.for('pardot-x3.service-config');

/** Injection token of `ServiceInfo`: which service this process is, and its version. */
export const SERVICE_INFO = Symbol.for('pardot-x3.service-info');

/** Injection token of the root pino logger of the process (used by the runtime itself). */
export const RUNTIME_LOGGER = Symbol.for('pardot-x3.runtime-logger');

export interface ServiceInfo {
  readonly name: string;
  readonly version: string;
}

/**
 * Process exit codes of every pardot-x3 service (documented in docs/running-services.md).
 *   0  stopped cleanly after SIGTERM or SIGINT
 *   1  crashed: failed to start, uncaught exception or unhandled promise rejection
 *   3  shutdown took longer than SHUTDOWN_GRACE_MS and was cut short
 *  78  the configuration is invalid (EX_CONFIG from sysexits.h); nothing was started
 */
export const ExitCode = {
  Stopped: 0,
  Crashed: 1,
  ShutdownTimedOut: 3,
  InvalidConfig: 78,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
