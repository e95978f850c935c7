import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import {
  loadStackConfig,
  runningPid,
  startDetached,
  stopProcess,
  tailLog,
  type SupervisedProcess,
} from '@pardot-x3/local-stack';

/** One of our apps (a sandbox or a service) run in the background, like the local stack's servers. */
export interface AppProcess extends SupervisedProcess {
  /** Folder under apps/. */
  readonly app: string;
  readonly port: number;
  readonly url: string;
  /** The built entry point, apps/<app>/dist/main.js. */
  readonly entry: string;
  /**
   * What the app was last started with, beside its pid and log files (`<name>.launch.json`, mode 0600):
   * written by {@link startApp} when it starts the process, read back by {@link lastLaunch}.
   */
  readonly launchFile: string;
}

export interface AppProcessStatus {
  readonly name: string;
  readonly state: 'ready' | 'starting' | 'stopped';
  readonly pid?: number;
  readonly url: string;
  readonly log: string;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 35_000;

/** Pid and log files of a group of apps under <PX3_STACK_HOME>/<group>. */
export function appProcess(
  group: string,
  name: string,
  app: string,
  port: number,
  env: NodeJS.ProcessEnv = process.env,
): AppProcess {
  const stack = loadStackConfig(env);
  const dir = join(stack.homeDir, group);
  return {
    name,
    app,
    port,
    url: `http://127.0.0.1:${port}`,
    entry: join(stack.rootDir, 'apps', app, 'dist', 'main.js'),
    pidFile: join(dir, `${name}.pid`),
    logFile: join(dir, `${name}.log`),
    launchFile: join(dir, `${name}.launch.json`),
  };
}

/**
 * What an app was last started with ({@link startApp}'s `launch`), or undefined when it never was (or
 * the file is unreadable): a restart can start it the same way.
 */
export function lastLaunch(p: AppProcess): unknown {
  if (!existsSync(p.launchFile)) return undefined;
  try {
    return JSON.parse(readFileSync(p.launchFile, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Forgets what an app was last started with (the next start is a fresh one). */
export function forgetLaunch(p: AppProcess): void {
  rmSync(p.launchFile, { force: true });
}

/** Owner-only (0600): a launch may name a database URL with its password. */
function recordLaunch(p: AppProcess, launch: unknown): void {
  mkdirSync(dirname(p.launchFile), { recursive: true });
  writeFileSync(p.launchFile, `${JSON.stringify(launch, null, 2)}\n`, { mode: 0o600 });
  chmodSync(p.launchFile, 0o600); // the mode above applies to a new file only
}

/**
 * Starts the app in its own process group unless it already runs, then waits until /health/ready
 * answers 200. Fails with the end of its log when it exits or does not become ready. `launch` (what the
 * caller chose for this start, JSON) is recorded in the app's launch file when the process is started,
 * for {@link lastLaunch}; an app already running keeps the record of its own start.
 */
export async function startApp(
  p: AppProcess,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  launch?: unknown,
  readyTimeoutMs = READY_TIMEOUT_MS,
): Promise<void> {
  if (runningPid(p) !== undefined) {
    if (await isReady(p)) {
      log(`${p.name}: already running at ${p.url}`);
      return;
    }
  } else {
    if (!existsSync(p.entry))
      throw new Error(`${p.name}: ${p.entry} is missing; build it first (npx nx run ${p.app}:build)`);
    if (await isReady(p))
      throw new Error(
        `${p.name}: port ${p.port} already serves something not started here; stop it or choose another port`,
      );
    const pid = startDetached(p, {
      command: process.execPath,
      args: ['--enable-source-maps', p.entry],
      cwd: loadStackConfig().rootDir,
      env: { ...env, PORT: String(p.port) },
    });
    if (launch !== undefined) recordLaunch(p, launch);
    log(`${p.name}: started (pid ${pid}), log ${p.logFile}`);
  }
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (await isReady(p)) {
      log(`${p.name}: ready at ${p.url}`);
      return;
    }
    if (runningPid(p) === undefined)
      throw new Error(`${p.name} exited during start; its log ends with:\n${tailLog(p.logFile, 20)}`);
    await sleep(250);
  }
  throw new Error(
    `${p.name} did not become ready within ${readyTimeoutMs / 1000} s; its log ends with:\n${tailLog(p.logFile, 20)}`,
  );
}

/** SIGTERM (graceful shutdown) to the process group, SIGKILL after the grace period. */
export function stopApp(p: AppProcess): Promise<'stopped' | 'killed' | 'not-running'> {
  return stopProcess(p, 'SIGTERM', STOP_GRACE_MS);
}

export async function probeApp(p: AppProcess): Promise<AppProcessStatus> {
  const pid = runningPid(p);
  if (pid === undefined) return { name: p.name, state: 'stopped', url: p.url, log: p.logFile };
  return { name: p.name, state: (await isReady(p)) ? 'ready' : 'starting', pid, url: p.url, log: p.logFile };
}

export function printAppStatus(statuses: readonly AppProcessStatus[], label: string): void {
  console.table(
    statuses.map((s) => ({ [label]: s.name, state: s.state, pid: s.pid ?? '', url: s.url, log: s.log })),
  );
}

/** The apps of a group named in `names` (all of them when none is named); an unknown name lists the choices. */
export function selectApps<P extends AppProcess>(
  all: readonly P[],
  names: readonly string[],
  kind: string,
): P[] {
  if (names.length === 0) return [...all];
  return names.map((name) => {
    const found = all.find((p) => p.name === name);
    if (!found)
      throw new Error(`Unknown ${kind} "${name}"; choose from ${all.map((p) => p.name).join(', ')}`);
    return found;
  });
}

/** `<group> down [names...]`: stops the named apps (all by default) gracefully and says how each went. */
export function appDownCommand(options: {
  readonly description: string;
  readonly argument: readonly [name: string, description: string];
  readonly select: (names: readonly string[]) => readonly AppProcess[];
  readonly log: (line: string) => void;
}): Command {
  return new Command('down')
    .description(options.description)
    .argument(...options.argument)
    .action(async (names: string[]) => {
      const outcomes = await Promise.all(
        options.select(names).map(async (p) => [p.name, await stopApp(p)] as const),
      );
      for (const [name, outcome] of outcomes) options.log(`${name}: ${outcome}`);
    });
}

/** `<group> status`: what runs where; exit code 3 unless every app of the group is ready. */
export function appStatusCommand(options: {
  readonly description: string;
  readonly label: string;
  readonly all: () => readonly AppProcess[];
}): Command {
  return new Command('status').description(options.description).action(async () => {
    const statuses = await Promise.all(options.all().map(probeApp));
    printAppStatus(statuses, options.label);
    process.exitCode = statuses.every((s) => s.state === 'ready') ? 0 : 3;
  });
}

/** `<group> logs [name]`: prints the end of one app's log or of all, or follows them (`-f`). */
export function appLogsCommand(options: {
  readonly description: string;
  readonly argument: readonly [name: string, description: string];
  readonly defaultLines: number;
  readonly select: (names: readonly string[]) => readonly AppProcess[];
}): Command {
  return new Command('logs')
    .description(options.description)
    .argument(...options.argument)
    .option('-n, --lines <n>', 'lines to show', String(options.defaultLines))
    .option('-f, --follow', 'keep printing new lines')
    .action((name: string | undefined, flags: { lines: string; follow?: boolean }) => {
      for (const p of options.select(name ? [name] : [])) {
        if (flags.follow) spawn('tail', ['-n', flags.lines, '-F', p.logFile], { stdio: 'inherit' });
        else console.log(`==> ${p.logFile} <==\n${tailLog(p.logFile, Number(flags.lines))}`);
      }
    });
}

async function isReady(p: AppProcess): Promise<boolean> {
  try {
    const res = await fetch(`${p.url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}
