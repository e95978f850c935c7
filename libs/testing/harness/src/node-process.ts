import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import { findRepositoryRoot } from '@pardot-x3/local-stack';
import { waitFor } from './wait-for.js';

export interface NodeProcessOptions {
  /** The JavaScript file to run with `node` (absolute, or relative to the repository root). */
  readonly script: string;
  readonly args?: readonly string[];
  readonly env?: Record<string, string>;
  /** Log file name under reports/test-processes (default <script name>.log). */
  readonly logName?: string;
}

/**
 * Any Node.js script as its own OS process (a test fixture, a worker), for tests that need a real
 * process boundary: kill it with SIGKILL mid-work, restart it, read what it printed. Its standard
 * output is kept line by line (and, with standard error, written to a log file).
 */
export class NodeProcess {
  readonly logFile: string;
  private child?: ChildProcess;
  private log?: WriteStream;
  private readonly lines: string[] = [];
  private pendingLine = '';

  constructor(private readonly options: NodeProcessOptions) {
    const dir = join(findRepositoryRoot(), 'reports', 'test-processes');
    mkdirSync(dir, { recursive: true });
    this.logFile = join(dir, options.logName ?? `${basename(options.script)}.log`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get exitCode(): number | null {
    return this.child?.exitCode ?? null;
  }

  /** Lines printed on standard output so far. */
  output(): readonly string[] {
    return this.lines;
  }

  /** Lines of standard output that are JSON objects, parsed. */
  jsonOutput<T = Record<string, unknown>>(): T[] {
    return this.lines.flatMap((line) => {
      try {
        const value: unknown = JSON.parse(line);
        return typeof value === 'object' && value !== null ? [value as T] : [];
      } catch {
        return [];
      }
    });
  }

  /** Starts the script (again, after an exit); stdout lines are kept across restarts. */
  start(): this {
    if (this.running) throw new Error(`${this.options.script} is already running (pid ${this.pid})`);
    const root = findRepositoryRoot();
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', this.options.script, ...(this.options.args ?? [])],
      {
        cwd: root,
        env: { ...process.env, ...this.options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      this.log?.write(chunk);
      const parts = (this.pendingLine + chunk).split('\n');
      this.pendingLine = parts.pop() ?? '';
      this.lines.push(...parts.filter((l) => l.length > 0));
    });
    child.stderr?.pipe(this.log, { end: false });
    this.child = child;
    return this;
  }

  /** Waits for a standard output line matching `predicate`; fails at once if the process exits first. */
  async waitForLine(
    predicate: (line: string) => boolean,
    timeoutMs = 60_000,
    description = 'an output line',
  ): Promise<string> {
    let exited = false;
    const line = await waitFor(
      () => {
        const found = this.lines.find(predicate);
        if (found !== undefined) return found;
        exited = !this.running;
        return exited ? '' : undefined;
      },
      { timeoutMs, description: `${description} from ${this.options.script} (log: ${this.logFile})` },
    );
    if (exited && !this.lines.some(predicate)) {
      throw new Error(
        `${this.options.script} exited (code ${this.exitCode}) before printing ${description}; see ${this.logFile}`,
      );
    }
    return line;
  }

  /** SIGKILL: a crash, with no chance to commit or clean up. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 10_000);
  }

  /** SIGTERM: the graceful path; SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<void> {
    await this.signal('SIGTERM', timeoutMs);
  }

  private async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
    if (this.pendingLine) this.lines.push(this.pendingLine);
    this.pendingLine = '';
    this.log?.end();
  }
}
