import { join } from 'node:path';
import { Command } from 'commander';
import { LocalStack } from '@pardot-x3/local-stack';
import {
  defaultLayout,
  PIPELINE_SERVICES,
  localOperatorKey,
  serviceEnvironment,
  type PipelineInfrastructure,
  type PipelineLayout,
  type PipelineService,
} from '@pardot-x3/local-pipeline';
import {
  appDownCommand,
  appLogsCommand,
  appStatusCommand,
  appProcess,
  lastLaunch,
  printAppStatus,
  probeApp,
  selectApps,
  startApp,
  type AppProcess,
} from '../processes/app-process.supervisor.js';
import { buildProjects } from '../processes/nx-build.js';

const log = (line: string): void => console.error(`[services] ${line}`);

export interface ServiceProcess extends AppProcess {
  readonly service: PipelineService;
}

/** The six services on their default ports (3001–3006, shifted by PX3_PORT_OFFSET), logs under <PX3_STACK_HOME>/services. */
export function serviceProcesses(env: NodeJS.ProcessEnv = process.env): ServiceProcess[] {
  const layout = localLayout(env);
  return PIPELINE_SERVICES.map((service) => ({
    ...appProcess('services', service, service, layout.servicePorts[service], env),
    service,
  }));
}

export function localLayout(env: NodeJS.ProcessEnv = process.env): PipelineLayout {
  return defaultLayout(Number(env['PX3_PORT_OFFSET'] ?? 0) || 0);
}

/**
 * What a service's start chose, recorded beside its pid file (`<name>.launch.json`, mode 0600: the
 * database URL carries its password) and reused by the next `services up` of that service: where it
 * finds Kafka, the registry, its database and its topic namespace, and whether it polls quickly (the
 * demo). Everything else — sandbox URLs and credentials, ports, the config folder — is recomputed from
 * the local defaults and the caller's environment on every start.
 */
export interface ServiceLaunch {
  readonly infrastructure: PipelineInfrastructure;
  readonly quickPolling: boolean;
}

/** The launch a service was last started with (by `services up` or `demo`), if one is recorded. */
export function lastServiceLaunch(p: ServiceProcess): ServiceLaunch | undefined {
  const launch = lastLaunch(p) as Partial<ServiceLaunch> | undefined;
  const infra = launch?.infrastructure as Partial<PipelineInfrastructure> | undefined;
  const text = (v: unknown): v is string => typeof v === 'string';
  if (!infra || !text(infra.KAFKA_BROKERS) || !text(infra.SCHEMA_REGISTRY_URL) || !text(infra.DATABASE_URL))
    return undefined;
  if (infra.PX3_TOPIC_NAMESPACE !== undefined && !text(infra.PX3_TOPIC_NAMESPACE)) return undefined;
  return {
    infrastructure: infrastructureOf(infra as PipelineInfrastructure),
    quickPolling: launch?.quickPolling === true,
  };
}

/**
 * Starts services against the local stack and the sandboxes on local defaults
 * (libs/ops/local-pipeline), each its own background process, and waits until each is ready.
 * Variables already set in the environment (e.g. SALESFORCE_LOGIN_URL of a real org) win, except where
 * the services find Kafka, the registry, the database and their namespace: `infrastructure` when given
 * (the demo's), else — unless `fresh` — what each service was last started with (so `services up mdm`
 * after `./pardot-x3 demo` restarts it in the demo's namespace and database), else the local stack's.
 */
export async function startServices(
  chosen: readonly ServiceProcess[],
  options: {
    build: boolean;
    quickPolling?: boolean;
    infrastructure?: PipelineInfrastructure;
    fresh?: boolean;
  },
): Promise<void> {
  if (options.build)
    await buildProjects(
      chosen.map((s) => s.app),
      log,
    );
  const stack = new LocalStack();
  const layout = localLayout();
  const configDir = process.env['PX3_CONFIG_DIR'] ?? join(stack.config.rootDir, 'config');
  // The services accept the local operator key (created on first use, <stack home>/access, 0600).
  const apiKeys = localOperatorKey(stack.config.homeDir).apiKeys;
  const launchOf = (s: ServiceProcess): ServiceLaunch => {
    const quickPolling = options.quickPolling ?? false;
    if (options.infrastructure)
      return { infrastructure: infrastructureOf(options.infrastructure), quickPolling };
    const last = options.fresh ? undefined : lastServiceLaunch(s);
    if (last) {
      log(`${s.name}: as it was last started: ${describeLaunch(last)} (--fresh for the local defaults)`);
      return last;
    }
    // The namespace the caller's environment names, so the record says where the service really ran.
    const namespace = process.env['PX3_TOPIC_NAMESPACE'];
    return {
      infrastructure: infrastructureOf({
        ...stack.environment(),
        ...(namespace !== undefined ? { PX3_TOPIC_NAMESPACE: namespace } : {}),
      }),
      quickPolling,
    };
  };
  const results = await Promise.allSettled(
    chosen.map((s) => {
      const launch = launchOf(s);
      return startApp(
        s,
        withInfrastructure(
          {
            ...serviceEnvironment(s.service, layout, launch.infrastructure, {
              configDir,
              quickPolling: launch.quickPolling,
              apiKeys,
            }),
            ...process.env,
          },
          launch.infrastructure,
        ),
        log,
        launch,
      );
    }),
  );
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  if (failures.length > 0) throw new Error(failures.map((f) => f.message).join('\n\n'));
}

/**
 * The connector and flow settings of the caller's environment win over the local defaults (a real org's
 * SALESFORCE_LOGIN_URL, say); where the services find Kafka, the registry, the database and their topic
 * namespace is what the caller chose for this start.
 */
function withInfrastructure(
  env: NodeJS.ProcessEnv,
  infrastructure: PipelineInfrastructure,
): NodeJS.ProcessEnv {
  const chosen: NodeJS.ProcessEnv = {
    ...env,
    KAFKA_BROKERS: infrastructure.KAFKA_BROKERS,
    SCHEMA_REGISTRY_URL: infrastructure.SCHEMA_REGISTRY_URL,
    DATABASE_URL: infrastructure.DATABASE_URL,
  };
  if (infrastructure.PX3_TOPIC_NAMESPACE !== undefined)
    chosen['PX3_TOPIC_NAMESPACE'] = infrastructure.PX3_TOPIC_NAMESPACE;
  return chosen;
}

/** The four infrastructure variables only (a stack environment may carry more). */
function infrastructureOf(env: PipelineInfrastructure): PipelineInfrastructure {
  return {
    KAFKA_BROKERS: env.KAFKA_BROKERS,
    SCHEMA_REGISTRY_URL: env.SCHEMA_REGISTRY_URL,
    DATABASE_URL: env.DATABASE_URL,
    ...(env.PX3_TOPIC_NAMESPACE !== undefined ? { PX3_TOPIC_NAMESPACE: env.PX3_TOPIC_NAMESPACE } : {}),
  };
}

/** `namespace "demo.", database pardot_x3_demo, quick polling` — never the database password. */
function describeLaunch(launch: ServiceLaunch): string {
  const { PX3_TOPIC_NAMESPACE: namespace, DATABASE_URL: url } = launch.infrastructure;
  let database = 'its database';
  try {
    database = `database ${new URL(url).pathname.replace(/^\//, '') || '(default)'}`;
  } catch {
    // not a URL: say nothing about it
  }
  return [
    `namespace ${JSON.stringify(namespace ?? '')}`,
    database,
    ...(launch.quickPolling ? ['quick polling'] : []),
  ].join(', ');
}

export function servicesCommand(): Command {
  const command = new Command('services').description(
    'the six pipeline services as background processes on local defaults (ports 3001–3006): see docs/running-services.md',
  );

  command
    .command('up')
    .description(
      'build (cached) and start the services against the local stack and the sandboxes; waits until each is ready',
    )
    .argument('[services...]', `${PIPELINE_SERVICES.join(', ')} (default: all six)`)
    .option('--no-build', 'start what apps/*/dist holds, without building')
    .option(
      '--fresh',
      'start on the local defaults (stack, default namespace and database), not as each service was last started (e.g. by ./pardot-x3 demo)',
    )
    .action(async (names: string[], options: { build: boolean; fresh?: boolean }) => {
      const chosen = select(names);
      try {
        await startServices(chosen, options);
      } finally {
        printAppStatus(await Promise.all(chosen.map(probeApp)), 'service');
      }
    });

  command.addCommand(
    appDownCommand({
      description: 'stop the services gracefully (SIGTERM: finish in-flight work, commit, disconnect)',
      argument: ['[services...]', 'default: all six'],
      select,
      log,
    }),
  );

  command.addCommand(
    appStatusCommand({
      description: 'what runs where (exit code 3 unless every service is ready)',
      label: 'service',
      all: () => serviceProcesses(),
    }),
  );

  command.addCommand(
    appLogsCommand({
      description: 'show the JSON log of one service or all',
      argument: ['[service]', PIPELINE_SERVICES.join(' | ')],
      defaultLines: 40,
      select,
    }),
  );

  return command;
}

function select(names: readonly string[]): ServiceProcess[] {
  return selectApps(serviceProcesses(), names, 'service');
}
