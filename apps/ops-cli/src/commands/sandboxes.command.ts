import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { loadStackConfig, tailLog } from '@pardot-x3/local-stack';

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

export interface SandboxProcess {
  readonly system: SandboxName;
  readonly app: string;
  readonly port: number;
  readonly url: string;
  readonly entry: string;
  readonly pidFile: string;
  readonly logFile: string;
}

export interface SandboxStatus {
  readonly system: SandboxName;
  readonly state: 'ready' | 'starting' | 'stopped';
  readonly pid?: number;
  readonly url: string;
  readonly log: string;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;
const log = (line: string): void => console.error(`[sandboxes] ${line}`);

/**
 * Where each sandbox runs: ports 4100/4200/4300 shifted by PX3_PORT_OFFSET (like the stack) unless
 * PX3_SANDBOX_<SYSTEM>_PORT names one; pid and log files under <PX3_STACK_HOME>/sandboxes.
 */
export function sandboxProcesses(env: NodeJS.ProcessEnv = process.env): SandboxProcess[] {
  const stack = loadStackConfig(env);
  const offset = Number(env['PX3_PORT_OFFSET'] ?? 0) || 0;
  const dir = join(stack.homeDir, 'sandboxes');
  return SANDBOXES.map((s) => {
    const raw = env[s.portVariable];
    const port = raw ? Number(raw) : s.defaultPort + offset;
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new Error(`${s.portVariable} must be a TCP port number, got "${raw ?? ''}"`);
    return {
      system: s.system,
      app: s.app,
      port,
      url: `http://127.0.0.1:${port}`,
      entry: join(stack.rootDir, 'apps', s.app, 'dist', 'main.js'),
      pidFile: join(dir, `${s.system}.pid`),
      logFile: join(dir, `${s.system}.log`),
    };
  });
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
      if (options.build) await build(chosen.map((s) => s.app));
      const env = { ...process.env, ...(options.seed !== undefined ? { SANDBOX_SEED: options.seed } : {}) };
      const results = await Promise.allSettled(chosen.map((s) => start(s, env)));
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
      printStatus(chosen.map(statusOf));
      if (failures.length > 0) throw new Error(failures.map((f) => f.message).join('\n\n'));
      console.log(`\nAdmin API: X-Admin-Token (default "sandbox-admin-token"); docs/sandboxes.md`);
    });

  command
    .command('down')
    .description('stop the sandboxes; no process is left behind')
    .argument('[systems...]', 'salesforce, pardot, x3 (default: all three)')
    .action(async (systems: string[]) => {
      for (const [system, outcome] of await Promise.all(
        select(systems).map(async (s) => [s.system, await stop(s)] as const),
      ))
        log(`${system}: ${outcome}`);
    });

  command
    .command('status')
    .description('what runs where (exit code 3 unless every sandbox is ready)')
    .action(async () => {
      const all = sandboxProcesses();
      const statuses = await Promise.all(all.map(probe));
      printStatus(statuses);
      process.exitCode = statuses.every((s) => s.state === 'ready') ? 0 : 3;
    });

  command
    .command('logs')
    .description('show the log of one sandbox or all')
    .argument('[system]', 'salesforce | pardot | x3')
    .option('-n, --lines <n>', 'lines to show', '60')
    .option('-f, --follow', 'keep printing new lines')
    .action((system: string | undefined, options: { lines: string; follow?: boolean }) => {
      for (const s of select(system ? [system] : [])) {
        if (options.follow) spawn('tail', ['-n', options.lines, '-F', s.logFile], { stdio: 'inherit' });
        else console.log(`==> ${s.logFile} <==\n${tailLog(s.logFile, Number(options.lines))}`);
      }
    });

  return command;
}

function select(names: readonly string[]): SandboxProcess[] {
  const all = sandboxProcesses();
  if (names.length === 0) return all;
  return names.map((name) => {
    const found = all.find((s) => s.system === name);
    if (!found)
      throw new Error(`Unknown sandbox "${name}"; choose from ${all.map((s) => s.system).join(', ')}`);
    return found;
  });
}

async function build(apps: readonly string[]): Promise<void> {
  log(`building ${apps.join(', ')} (cached by Nx)`);
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(
      'npx',
      ['nx', 'run-many', '-t', 'build', '-p', apps.join(','), '--outputStyle=static'],
      {
        cwd: loadStackConfig().rootDir,
        env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.once('error', reject);
    child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  if (code !== 0) throw new Error(`building the sandboxes failed (exit code ${code})`);
}

/** Starts one sandbox in its own process group (idempotent) and waits until /health/ready answers. */
async function start(s: SandboxProcess, env: NodeJS.ProcessEnv): Promise<void> {
  if (runningPid(s) !== undefined) {
    if (await ready(s)) {
      log(`${s.system}: already running at ${s.url}`);
      return;
    }
  } else {
    if (!existsSync(s.entry))
      throw new Error(
        `${s.system}: ${s.entry} is missing; build it (npx nx run ${s.app}:build) or drop --no-build`,
      );
    if (await ready(s))
      throw new Error(
        `${s.system}: port ${s.port} already serves something not started here; stop it or set ${portVariableOf(s)}`,
      );
    mkdirSync(join(s.pidFile, '..'), { recursive: true });
    const out = openSync(s.logFile, 'a');
    try {
      const child = spawn(process.execPath, ['--enable-source-maps', s.entry], {
        cwd: loadStackConfig().rootDir,
        env: { ...env, PORT: String(s.port), HOST: env['PX3_SANDBOX_HOST'] ?? '127.0.0.1' },
        detached: true,
        stdio: ['ignore', out, out],
      });
      if (child.pid === undefined) throw new Error(`${s.system}: the process did not start`);
      child.unref();
      writeFileSync(s.pidFile, `${child.pid}\n`);
      log(`${s.system}: started (pid ${child.pid}), log ${s.logFile}`);
    } finally {
      closeSync(out);
    }
  }
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await ready(s)) {
      log(`${s.system}: ready at ${s.url}`);
      return;
    }
    if (runningPid(s) === undefined)
      throw new Error(`${s.system} exited during start; its log ends with:\n${tailLog(s.logFile, 20)}`);
    await sleep(250);
  }
  throw new Error(
    `${s.system} did not become ready within ${READY_TIMEOUT_MS / 1000} s; its log ends with:\n${tailLog(s.logFile, 20)}`,
  );
}

/** SIGTERM to the process group (graceful shutdown), SIGKILL after the grace period. */
async function stop(s: SandboxProcess): Promise<'stopped' | 'killed' | 'not running'> {
  const pid = runningPid(s);
  if (pid === undefined) {
    rmSync(s.pidFile, { force: true });
    return 'not running';
  }
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (Date.now() < deadline) {
    if (!groupAlive(pid)) {
      rmSync(s.pidFile, { force: true });
      return 'stopped';
    }
    await sleep(100);
  }
  signalGroup(pid, 'SIGKILL');
  for (let i = 0; i < 50 && groupAlive(pid); i++) await sleep(100);
  rmSync(s.pidFile, { force: true });
  return 'killed';
}

function statusOf(s: SandboxProcess): SandboxStatus {
  const pid = runningPid(s);
  return {
    system: s.system,
    state: pid === undefined ? 'stopped' : 'ready',
    ...(pid !== undefined ? { pid } : {}),
    url: s.url,
    log: s.logFile,
  };
}

async function probe(s: SandboxProcess): Promise<SandboxStatus> {
  const pid = runningPid(s);
  if (pid === undefined) return { system: s.system, state: 'stopped', url: s.url, log: s.logFile };
  return {
    system: s.system,
    state: (await ready(s)) ? 'ready' : 'starting',
    pid,
    url: s.url,
    log: s.logFile,
  };
}

async function ready(s: SandboxProcess): Promise<boolean> {
  try {
    const res = await fetch(`${s.url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

function runningPid(s: SandboxProcess): number | undefined {
  if (!existsSync(s.pidFile)) return undefined;
  const pid = Number(readFileSync(s.pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function portVariableOf(s: SandboxProcess): string {
  return SANDBOXES.find((x) => x.system === s.system)?.portVariable ?? 'PORT';
}

function printStatus(statuses: readonly SandboxStatus[]): void {
  console.table(
    statuses.map((s) => ({ sandbox: s.system, state: s.state, pid: s.pid ?? '', url: s.url, log: s.log })),
  );
}
