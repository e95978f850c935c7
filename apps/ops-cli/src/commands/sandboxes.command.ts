import { Command } from 'commander';
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

/** The three sandboxes (ADR 0030): app folder, default port, the variable overriding it. */
export const SANDBOXES = [
  {
    system: 'salesforce',
    app: 'sandbox-salesforce',
    defaultPort: 4100,
    portVariable: 'PX3_SANDBOX_SALESFORCE_PORT',
  },
  { system: 'pardot', app: 'sandbox-pardot', defaultPort: 4200, portVariable: 'PX3_SANDBOX_PARDOT_PORT' },
  { system: 'x3', app: 'sandbox-x3', defaultPort: 4300, portVariable: 'PX3_SANDBOX_X3_PORT' },
] as const;

export type SandboxName = (typeof SANDBOXES)[number]['system'];

export interface SandboxProcess extends AppProcess {
  readonly system: SandboxName;
  readonly portVariable: string;
}

const log = (line: string): void => console.error(`[sandboxes] ${line}`);

/**
 * Where each sandbox runs: ports 4100/4200/4300 shifted by PX3_PORT_OFFSET (like the stack) unless
 * PX3_SANDBOX_<SYSTEM>_PORT names one; pid and log files under <PX3_STACK_HOME>/sandboxes.
 */
export function sandboxProcesses(env: NodeJS.ProcessEnv = process.env): SandboxProcess[] {
  const offset = Number(env['PX3_PORT_OFFSET'] ?? 0) || 0;
  return SANDBOXES.map((s) => {
    const raw = env[s.portVariable];
    const port = raw ? Number(raw) : s.defaultPort + offset;
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new Error(`${s.portVariable} must be a TCP port number, got "${raw ?? ''}"`);
    return {
      ...appProcess('sandboxes', s.system, s.app, port, env),
      system: s.system,
      portVariable: s.portVariable,
    };
  });
}

/** Starts the chosen sandboxes (all by default) and waits until each is ready. */
export async function startSandboxes(
  chosen: readonly SandboxProcess[],
  env: NodeJS.ProcessEnv,
  options: { build: boolean },
): Promise<void> {
  if (options.build)
    await buildProjects(
      chosen.map((s) => s.app),
      log,
    );
  const sandboxEnv = { ...env, HOST: env['PX3_SANDBOX_HOST'] ?? '127.0.0.1' };
  const results = await Promise.allSettled(chosen.map((s) => startApp(s, sandboxEnv, log)));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  if (failures.length > 0) throw new Error(failures.map((f) => f.message).join('\n\n'));
}

export function sandboxesCommand(): Command {
  const command = new Command('sandboxes').description(
    'the local stand-ins of Salesforce (4100), Pardot (4200) and Sage X3 (4300): see docs/sandboxes.md',
  );

  command
    .command('up')
    .description('build (cached) and start the sandboxes as background processes; waits until each is ready')
    .argument('[systems...]', 'salesforce, pardot, x3 (default: all three)')
    .option('--seed <n>', 'seed of the world they load (SANDBOX_SEED; the same for all three)')
    .option('--no-build', 'start what apps/sandbox-*/dist holds, without building')
    .action(async (systems: string[], options: { seed?: string; build: boolean }) => {
      const chosen = select(systems);
      if (options.seed !== undefined && !/^\d+$/.test(options.seed))
        throw new Error('--seed must be a whole number');
      const env = { ...process.env, ...(options.seed !== undefined ? { SANDBOX_SEED: options.seed } : {}) };
      try {
        await startSandboxes(chosen, env, options);
      } finally {
        printAppStatus(await Promise.all(chosen.map(probeApp)), 'sandbox');
      }
      console.log(`\nAdmin API: X-Admin-Token (default "sandbox-admin-token"); docs/sandboxes.md`);
    });

  command.addCommand(
    appDownCommand({
      description: 'stop the sandboxes; no process is left behind',
      argument: ['[systems...]', 'salesforce, pardot, x3 (default: all three)'],
      select,
      log,
    }),
  );

  command.addCommand(
    appStatusCommand({
      description: 'what runs where (exit code 3 unless every sandbox is ready)',
      label: 'sandbox',
      all: () => sandboxProcesses(),
    }),
  );

  command.addCommand(
    appLogsCommand({
      description: 'show the log of one sandbox or all',
      argument: ['[system]', 'salesforce | pardot | x3'],
      defaultLines: 60,
      select,
    }),
  );

  return command;
}

function select(names: readonly string[]): SandboxProcess[] {
  return selectApps(sandboxProcesses(), names, 'sandbox');
}
