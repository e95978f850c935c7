import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { findRepositoryRoot } from '@pardot-x3/local-stack';
import { waitFor } from './wait-for.js';

export interface ServiceProcessOptions {
  /** App folder name under apps/, e.g. "x3-ingest"; runs apps/<app>/dist/main.js (build first). */
  readonly app: string;
  readonly env: Record<string, string>;
  /** URL polled until it answers 200 (default http://127.0.0.1:$PORT/health/ready). */
  readonly readyUrl?: string;
  readonly readyTimeoutMs?: number;
  /** Log file name under reports/e2e-logs, or PX3_E2E_LOG_DIR (default <app>.log). */
  readonly logName?: string;
}

/** Where service processes write their logs: reports/e2e-logs, or the folder PX3_E2E_LOG_DIR names. */
export function e2eLogDirectory(): string {
  return process.env['PX3_E2E_LOG_DIR'] || join(findRepositoryRoot(), 'reports', 'e2e-logs');
}

/** A service started as its own OS process, as in production; its output goes to a log file. */
export class ServiceProcess {
  private child?: ChildProcess;
  private log?: WriteStream;
  readonly logFile: string;

  constructor(private readonly options: ServiceProcessOptions) {
    const dir = e2eLogDirectory();
    mkdirSync(dir, { recursive: true });
    this.logFile = join(dir, options.logName ?? `${options.app}.log`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The exit code once the process has exited (null while it runs or when a signal ended it). */
  get exitCode(): number | null {
    return this.child?.exitCode ?? null;
  }

  /** The signal that ended the process, if one did. */
  get exitSignal(): NodeJS.Signals | null {
    return this.child?.signalCode ?? null;
  }

  async start(): Promise<this> {
    const root = findRepositoryRoot();
    this.recordEnvironment();
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    this.child = spawn(
      process.execPath,
      ['--enable-source-maps', join(root, 'apps', this.options.app, 'dist', 'main.js')],
      {
        cwd: root,
        env: { ...process.env, ...this.options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout?.pipe(this.log, { end: false });
    this.child.stderr?.pipe(this.log, { end: false });
    const url = this.options.readyUrl ?? `http://127.0.0.1:${this.options.env['PORT']}/health/ready`;
    const child = this.child;
    // An exit before readiness fails the start at once instead of waiting for the timeout.
    // 'close' comes after the output streams ended, so the log file is complete when we reject.
    const exited = new Promise<never>((_, reject) =>
      child.once('close', (code, signal) => {
        const fail = (): void =>
          reject(
            new Error(
              `${this.options.app} exited (code ${code ?? signal}) before it was ready; see ${this.logFile}`,
            ),
          );
        if (this.log && !this.log.writableEnded) this.log.end(fail);
        else fail();
      }),
    );
    exited.catch(() => undefined);
    const ready = waitFor(
      async () => {
        const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        return res.ok;
      },
      {
        timeoutMs: this.options.readyTimeoutMs ?? 60_000,
        description: `${this.options.app} to be ready at ${url} (log: ${this.logFile})`,
      },
    );
    await Promise.race([ready, exited]);
    return this;
  }

  /**
   * What the process was configured with, beside its log (`<log>.env.jsonl`, one line per start, mode
   * 0600): the log scan that runs after the e2e tests (tests/e2e/test/log-scan.after-e2e-spec.ts) looks for every configured secret
   * in every log. Test credentials only; never the inherited environment.
   */
  private recordEnvironment(): void {
    const record = { app: this.options.app, env: this.options.env };
    appendFileSync(`${this.logFile}.env.jsonl`, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  }

  /** SIGTERM: the graceful path (finish in-flight work, commit, disconnect). */
  async stop(timeoutMs = 30_000): Promise<void> {
    await this.signal('SIGTERM', timeoutMs);
  }

  /** SIGKILL: a crash, with no chance to commit or clean up. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 10_000);
  }

  private async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
    this.log?.end();
  }
}
