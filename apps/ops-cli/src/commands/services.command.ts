import { join } from 'node:path';
import { Command } from 'commander';
import { LocalStack } from '@pardot-x3/local-stack';
import {
  defaultLayout,
  PIPELINE_SERVICES,
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
 * Starts the six services against the local stack and the sandboxes on local defaults
 * (libs/ops/local-pipeline), each its own background process, and waits until each is ready.
 * Variables already set in the environment (e.g. SALESFORCE_LOGIN_URL of a real org) win.
 */
export async function startServices(
  chosen: readonly ServiceProcess[],
  options: { build: boolean; quickPolling?: boolean; infrastructure?: PipelineInfrastructure },
): Promise<void> {
  if (options.build)
    await buildProjects(
      chosen.map((s) => s.app),
      log,
    );
  const stack = new LocalStack();
  const infrastructure = options.infrastructure ?? stack.environment();
  const layout = localLayout();
  const configDir = process.env['PX3_CONFIG_DIR'] ?? join(stack.config.rootDir, 'config');
  const results = await Promise.allSettled(
    chosen.map((s) =>
      startApp(
        s,
        withInfrastructure(
          {
            ...serviceEnvironment(s.service, layout, infrastructure, {
              configDir,
              quickPolling: options.quickPolling,
            }),
            ...process.env,
          },
          infrastructure,
        ),
        log,
      ),
    ),
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
    .action(async (names: string[], options: { build: boolean }) => {
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
