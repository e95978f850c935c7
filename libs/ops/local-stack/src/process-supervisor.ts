import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A background process of the stack: started detached, its pid kept in a file. */
export interface SupervisedProcess {
  readonly name: string;
  readonly pidFile: string;
  readonly logFile: string;
}

export interface StartOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly uid?: number;
  readonly gid?: number;
}

export function readPid(proc: SupervisedProcess): number | undefined {
  if (!existsSync(proc.pidFile)) return undefined;
  const pid = Number(readFileSync(proc.pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function runningPid(proc: SupervisedProcess): number | undefined {
  const pid = readPid(proc);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

/** Starts the process in its own process group, appending its output to its log file. */
export function startDetached(proc: SupervisedProcess, options: StartOptions): number {
  mkdirSync(dirname(proc.logFile), { recursive: true });
  mkdirSync(dirname(proc.pidFile), { recursive: true });
  const out = openSync(proc.logFile, 'a');
  try {
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', out, out],
      uid: options.uid,
      gid: options.gid,
    });
    if (child.pid === undefined) {
      throw new Error(`Could not start ${proc.name}: ${options.command} did not get a process id`);
    }
    child.unref();
    writeFileSync(proc.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/**
 * Stops the process group: the component's own shutdown signal first, then SIGKILL after the grace
 * period. Resolves once no process of the group is left.
 */
export async function stopProcess(
  proc: SupervisedProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 20_000,
): Promise<'stopped' | 'killed' | 'not-running'> {
  const pid = readPid(proc);
  if (pid === undefined || !isAlive(pid)) {
    rmSync(proc.pidFile, { force: true });
    return 'not-running';
  }
  signalGroup(pid, signal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pid)) {
      rmSync(proc.pidFile, { force: true });
      return 'stopped';
    }
    await sleep(100);
  }
  signalGroup(pid, 'SIGKILL');
  for (let i = 0; i < 50 && groupAlive(pid); i++) await sleep(100);
  rmSync(proc.pidFile, { force: true });
  return 'killed';
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
    return (error as NodeJS.ErrnoException).code === 'EPERM' || isAlive(pid);
  }
}

export function tailLog(logFile: string, lines = 40): string {
  if (!existsSync(logFile)) return `(no log at ${logFile})`;
  const all = readFileSync(logFile, 'utf8').split('\n');
  return all.slice(-lines - 1).join('\n');
}
