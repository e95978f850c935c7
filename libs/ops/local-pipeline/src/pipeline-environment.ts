import {
  sandboxUrl,
  serviceUrl,
  type PipelineLayout,
  type PipelineService,
  type SandboxSystem,
} from './pipeline-layout.js';
import {
  SANDBOX_ACTIVITY_EXTENSION,
  SANDBOX_ACTIVITY_TYPES,
  SANDBOX_PARDOT_BUSINESS_UNIT,
  SANDBOX_PARDOT_CUSTOM_FIELDS,
  SANDBOX_SALESFORCE_APP,
  SANDBOX_X3,
} from './sandbox-credentials.js';
import { SERVICE_MALLOC_ENVIRONMENT, SERVICE_NODE_OPTIONS } from './service-node-options.js';

/** The infrastructure every service reaches (the local stack, or servers named by the environment). */
export interface PipelineInfrastructure {
  readonly KAFKA_BROKERS: string;
  readonly SCHEMA_REGISTRY_URL: string;
  readonly DATABASE_URL: string;
  /** Topic and subject prefix (tests isolate themselves with one). */
  readonly PX3_TOPIC_NAMESPACE?: string;
}

export interface SandboxEnvironmentOptions {
  /** Seed of the world the three sandboxes load (the same for all three, so they share people). */
  readonly seed?: number;
  /** Counts of the seeded world, e.g. { customers: 50 }. */
  readonly counts?: Readonly<Record<string, number>>;
}

export interface ServiceEnvironmentOptions {
  /** The folder of mapping templates and policies (the repository's config/). */
  readonly configDir: string;
  /** Poll every second and look back 30 s: for demos and tests, not for production. */
  readonly quickPolling?: boolean;
  readonly logLevel?: string;
  /**
   * Accepted API keys (PX3_API_KEYS: name:role:sha256 lines, e.g. `localOperatorKey(home).apiKeys`).
   * Without it the services accept no credentials: every route but health and metrics answers 401.
   */
  readonly apiKeys?: string;
}

/** The environment a sandbox starts with on local defaults. */
export function sandboxEnvironment(
  system: SandboxSystem,
  layout: PipelineLayout,
  options: SandboxEnvironmentOptions = {},
): Record<string, string> {
  const seed = {
    SANDBOX_SEED: String(options.seed ?? 7),
    ...(options.counts ? { SANDBOX_SEED_COUNTS: JSON.stringify(options.counts) } : {}),
  };
  const registered = SANDBOX_ACTIVITY_TYPES.map((type) => `${SANDBOX_ACTIVITY_EXTENSION}:${type}`).join(',');
  switch (system) {
    case 'salesforce':
      return { ...seed, SF_MARKETING_APP_EXTENSIONS: registered };
    case 'pardot':
      return {
        ...seed,
        PARDOT_CUSTOM_FIELDS: SANDBOX_PARDOT_CUSTOM_FIELDS.join(','),
        PARDOT_EXTERNAL_ACTIVITY_TYPES: registered,
      };
    case 'x3':
      return {
        ...seed,
        X3_USERS: [SANDBOX_X3.integrationUser, SANDBOX_X3.erpUser]
          .map((u) => `${u.name}:${u.password}`)
          .join(','),
        X3_WEBHOOK_URL: `${serviceUrl(layout, 'x3-ingest')}/webhooks/x3`,
        X3_WEBHOOK_SECRET: SANDBOX_X3.webhookSecret,
        X3_WEBHOOK_RETRY_BASE_MS: '500',
      };
  }
}

/** The environment a service starts with, pointed at the sandboxes of `layout`. */
export function serviceEnvironment(
  service: PipelineService,
  layout: PipelineLayout,
  infrastructure: PipelineInfrastructure,
  options: ServiceEnvironmentOptions,
): Record<string, string> {
  const salesforce = {
    SALESFORCE_LOGIN_URL: sandboxUrl(layout, 'salesforce'),
    SALESFORCE_CLIENT_ID: SANDBOX_SALESFORCE_APP.clientId,
    SALESFORCE_CLIENT_SECRET: SANDBOX_SALESFORCE_APP.clientSecret,
  };
  const pardot = {
    PARDOT_BASE_URL: sandboxUrl(layout, 'pardot'),
    PARDOT_BUSINESS_UNIT_ID: SANDBOX_PARDOT_BUSINESS_UNIT,
    PARDOT_EXTERNAL_ACTIVITY_EXTENSION: SANDBOX_ACTIVITY_EXTENSION,
  };
  const x3 = {
    X3_BASE_URL: sandboxUrl(layout, 'x3'),
    X3_FOLDER: SANDBOX_X3.folder,
    X3_USERNAME: SANDBOX_X3.integrationUser.name,
    X3_PASSWORD: SANDBOX_X3.integrationUser.password,
  };
  const quick = options.quickPolling ?? false;
  const common: Record<string, string> = {
    KAFKA_BROKERS: infrastructure.KAFKA_BROKERS,
    SCHEMA_REGISTRY_URL: infrastructure.SCHEMA_REGISTRY_URL,
    DATABASE_URL: infrastructure.DATABASE_URL,
    ...(infrastructure.PX3_TOPIC_NAMESPACE
      ? { PX3_TOPIC_NAMESPACE: infrastructure.PX3_TOPIC_NAMESPACE }
      : {}),
    PORT: String(layout.servicePorts[service]),
    HOST: layout.host,
    LOG_LEVEL: options.logLevel ?? 'info',
    PX3_CONFIG_DIR: options.configDir,
    ...(options.apiKeys ? { PX3_API_KEYS: options.apiKeys } : {}),
    NODE_OPTIONS: SERVICE_NODE_OPTIONS,
    ...SERVICE_MALLOC_ENVIRONMENT,
  };
  const own: Record<PipelineService, Record<string, string>> = {
    'salesforce-ingest': {
      ...salesforce,
      ...pardot,
      ...(quick
        ? {
            PARDOT_POLL_INTERVAL_MS: '1000',
            PARDOT_POLL_OVERLAP_SECONDS: '30',
            PARDOT_POLL_INITIAL_LOOKBACK_SECONDS: '30',
          }
        : {}),
    },
    'x3-ingest': {
      ...x3,
      X3_WEBHOOK_SECRET: SANDBOX_X3.webhookSecret,
      ...(quick
        ? {
            X3_POLL_INTERVAL_MS: '1000',
            X3_POLL_INITIAL_LOOKBACK_SECONDS: '30',
            X3_POLL_OVERLAP_SECONDS: '30',
          }
        : {}),
    },
    transformer: {},
    mdm: {},
    'pardot-writer': { ...salesforce, ...pardot, ...(quick ? { CUSTOMER_WRITE_COALESCING_MS: '1000' } : {}) },
    'x3-order-writer': { ...x3 },
  };
  return { ...common, ...own[service] };
}
