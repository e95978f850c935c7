import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@pardot-x3/testing';

/**
 * How a service process ends, with a fixture service built on the runtime (see
 * service-runtime-lifecycle.fixture.ts): in-flight work finishes on SIGTERM and SIGINT, a shutdown
 * that hangs is cut short with exit 3, crashes exit 1 with a fatal log line. Needs the libraries
 * built (`npx nx run-many -t build`).
 */

const FIXTURE = fileURLToPath(new URL('./service-runtime-lifecycle.fixture.ts', import.meta.url));
const PORT = 16010;
const BASE = `http://127.0.0.1:${PORT}`;

interface LogLine {
  level?: string;
  msg?: string;
  err?: { message?: string };
  [key: string]: unknown;
}

class FixtureProcess {
  private output = '';
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (c: Buffer) => (this.output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.output += c.toString()));
    this.exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  }

  static async start(env: Record<string, string> = {}): Promise<FixtureProcess> {
    const child = spawn(process.execPath, [FIXTURE], {
      env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const fixture = new FixtureProcess(child);
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`the fixture exited early:\n${fixture.output}`);
        return (await fetch(`${BASE}/health/live`)).ok;
      },
      { timeoutMs: 30_000, description: 'the lifecycle fixture to be live' },
    );
    return fixture;
  }

  lines(): LogLine[] {
    return this.output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
  }

  messages(): string[] {
    return this.lines().map((l) => l.msg ?? '');
  }

  async exitCode(): Promise<number | null> {
    const [code] = await this.exited;
    return code;
  }
}

describe('the service lifecycle', () => {
  let fixture: FixtureProcess | undefined;

  afterEach(async () => {
    if (fixture && fixture.child.exitCode === null && fixture.child.signalCode === null) {
      fixture.child.kill('SIGKILL');
      await fixture.exited;
    }
    fixture = undefined;
  });

  it('on SIGTERM finishes the request in flight and the work of every module, then exits 0', async () => {
    fixture = await FixtureProcess.start();
    const started = fixture;
    const response = fetch(`${BASE}/slow`);
    await waitFor(() => started.messages().includes('fixture: slow request started'), {
      description: 'the slow request to start',
    });
    fixture.child.kill('SIGTERM');
    const res = await response;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ finished: true });
    expect(await fixture.exitCode()).toBe(0);
    const messages = fixture.messages();
    const order = [
      'shutdown started: readiness reports 503, stopping work',
      'fixture: worker stopping',
      'fixture: worker stopped',
      'shutdown complete',
    ].map((m) => messages.indexOf(m));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('treats SIGINT like SIGTERM', async () => {
    fixture = await FixtureProcess.start();
    fixture.child.kill('SIGINT');
    expect(await fixture.exitCode()).toBe(0);
    expect(fixture.lines().find((l) => l.msg === 'shutdown complete')).toMatchObject({ signal: 'SIGINT' });
  });

  it('cuts a shutdown that outlasts SHUTDOWN_GRACE_MS short, with an error line and exit code 3', async () => {
    fixture = await FixtureProcess.start({ FIXTURE_HANG_ON_SHUTDOWN: 'true', SHUTDOWN_GRACE_MS: '1000' });
    fixture.child.kill('SIGTERM');
    expect(await fixture.exitCode()).toBe(3);
    expect(fixture.lines().find((l) => l.level === 'error')).toMatchObject({
      msg: 'shutdown did not finish within SHUTDOWN_GRACE_MS; exiting without waiting further',
      graceMs: 1000,
    });
    expect(fixture.messages()).not.toContain('shutdown complete');
  });

  it('logs an uncaught exception as fatal and exits 1', async () => {
    fixture = await FixtureProcess.start();
    await fetch(`${BASE}/crash/exception`);
    expect(await fixture.exitCode()).toBe(1);
    expect(fixture.lines().find((l) => l.level === 'fatal')).toMatchObject({
      msg: 'uncaught exception; exiting',
      err: { message: 'fixture: boom from a timer' },
    });
  });

  it('logs an unhandled promise rejection as fatal and exits 1', async () => {
    fixture = await FixtureProcess.start();
    await fetch(`${BASE}/crash/rejection`);
    expect(await fixture.exitCode()).toBe(1);
    expect(fixture.lines().find((l) => l.level === 'fatal')).toMatchObject({
      msg: 'unhandled promise rejection; exiting',
      err: { message: 'fixture: a promise nobody awaited' },
    });
  });

  it('exits 1 when Nest cannot build a provider, reporting it in JSON lines only', async () => {
    const child = spawn(process.execPath, [FIXTURE], {
      env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', FIXTURE_UNRESOLVABLE_PROVIDER: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    const lines = output.split('\n').filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line), `not a JSON log line: ${line}`).not.toThrow();
    const fatal = lines.map((l) => JSON.parse(l) as LogLine).find((l) => l.level === 'fatal');
    expect(fatal?.msg).toBe('startup failed');
    expect(fatal?.err?.message).toMatch(/can't resolve dependencies of the NeedsMissingDependency/);
  });

  it('exits 1 when its port is taken, saying why', async () => {
    const holder = await FixtureProcess.start();
    try {
      const child = spawn(process.execPath, [FIXTURE], {
        env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(1);
      expect(output).toMatch(/"level":"fatal".*"msg":"startup failed"/);
      expect(output).toContain('EADDRINUSE');
    } finally {
      holder.child.kill('SIGTERM');
      await holder.exited;
    }
  });
});
