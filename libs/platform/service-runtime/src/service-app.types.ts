import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import type { z } from 'zod';
import type { HttpServerConfig } from '@pardot-x3/config';
import type { Logger } from '@pardot-x3/observability';
import type { ReadinessRegistry } from './health/readiness-registry.service.js';

/** A zod object schema whose output carries the HTTP server and runtime settings (`httpServerConfigSchema`). */
export type ServiceConfigSchema = z.ZodObject & { _zod: { output: HttpServerConfig } };

export type ServiceModule = Type<unknown> | DynamicModule;

/** The service's root module, or a function building it from the validated configuration. */
export type ServiceModuleSource<C> = ServiceModule | ((config: C) => ServiceModule);

export interface ServiceAppOptions<S extends ServiceConfigSchema> {
  /** Service name: the `service` field of every log line and the `service` label of every metric. */
  readonly service: string;
  readonly module: ServiceModuleSource<z.output<S>>;
  /** Composed from the `@pardot-x3/config` fragments; validated once, before anything starts. */
  readonly configSchema: S;
  /** Reported in `px3_build_info` and `/health/live`; default PX3_VERSION, else the app's package.json version. */
  readonly version?: string;
  /** Defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * `required` (the default): every route but /health/*, /metrics and @Public ones needs credentials,
   * from the access settings (PX3_API_KEYS_FILE, PX3_API_KEYS, PX3_OIDC_*; read from the environment
   * even when the service's schema does not list them); with none set, such routes answer 401.
   * `none`: the sandboxes only (they answer like the real APIs and guard their admin API themselves).
   */
  readonly access?: 'required' | 'none';
  /** Where log lines go (default standard output); tests may capture them. */
  readonly logDestination?: NodeJS.WritableStream;
}

/** A created (not yet listening) service. */
export interface ServiceApp<C extends HttpServerConfig = HttpServerConfig> {
  readonly service: string;
  readonly version: string;
  readonly config: C;
  readonly logger: Logger;
  readonly nest: INestApplication;
  readonly readiness: ReadinessRegistry;
  /** Starts the HTTP server on HOST:PORT; resolves to its base URL, e.g. http://127.0.0.1:3004. */
  listen(): Promise<string>;
  /**
   * The graceful stop: readiness turns 503 at once, then Nest's shutdown hooks run (modules stop
   * consuming, finish in-flight work, commit, disconnect), the HTTP server closes, checks are closed.
   */
  shutdown(signal?: string): Promise<void>;
}
