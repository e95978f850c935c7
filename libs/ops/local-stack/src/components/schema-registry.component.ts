import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { copyDependencies } from '../maven-artifacts.js';
import { resolveJava, type JavaRuntime } from '../java-runtime.js';
import { runningPid, startDetached, stopProcess, type SupervisedProcess } from '../process-supervisor.js';
import { httpOk, tcpAccepts, waitUntil } from '../readiness.js';
import type { StackConfig } from '../stack-config.js';
import type { ComponentStatus, StackComponent } from './stack-component.js';

const run = promisify(execFile);
export const APICURIO_VERSION = '3.3.3';
/** Apicurio's Confluent-compatible API; clients written for Confluent's registry use it unchanged. */
export const CCOMPAT_PATH = '/apis/ccompat/v7';

/** Apicurio Registry 3.x with file-backed H2 storage, so schema ids survive a restart of the stack. */
export class SchemaRegistryComponent implements StackComponent {
  readonly name = 'schema-registry' as const;
  readonly process: SupervisedProcess;
  private readonly dir: string;
  private readonly appDir: string;
  private readonly downloadDir: string;
  private java?: JavaRuntime;

  constructor(private readonly config: StackConfig) {
    this.dir = join(config.homeDir, 'schema-registry');
    this.downloadDir = join(config.cacheDir, 'stack', `apicurio-registry-${APICURIO_VERSION}`, 'download');
    this.appDir = join(config.cacheDir, 'stack', `apicurio-registry-${APICURIO_VERSION}`, 'app');
    this.process = {
      name: 'schema-registry',
      pidFile: join(this.dir, 'schema-registry.pid'),
      logFile: join(config.homeDir, 'logs', 'schema-registry.log'),
    };
  }

  get url(): string {
    return `http://${this.config.host}:${this.config.ports.registry}${CCOMPAT_PATH}`;
  }

  async prepare(log: (line: string) => void): Promise<void> {
    if (!existsSync(join(this.appDir, '.complete'))) {
      await copyDependencies({
        pom: join(this.config.assetsDir, 'apicurio-registry.pom.xml'),
        outputDir: this.downloadDir,
        includeTypes: 'tar.gz',
        describe: `resolving Apicurio Registry ${APICURIO_VERSION} from Maven Central`,
        log,
      });
      const archive = readdirSync(this.downloadDir).find((f) => f.endsWith('.tar.gz'));
      if (!archive) throw new Error(`No Apicurio archive in ${this.downloadDir}`);
      rmSync(this.appDir, { recursive: true, force: true });
      mkdirSync(this.appDir, { recursive: true });
      await run('tar', ['xzf', join(this.downloadDir, archive), '-C', this.appDir]);
      if (!existsSync(join(this.appDir, 'quarkus-run.jar'))) {
        throw new Error(`The Apicurio archive ${archive} has no quarkus-run.jar`);
      }
      writeFileSync(join(this.appDir, '.complete'), new Date().toISOString());
    }
    this.java = await resolveJava(21, this.config.cacheDir, log);
    mkdirSync(join(this.dir, 'h2'), { recursive: true });
  }

  async start(log: (line: string) => void): Promise<void> {
    const { host, ports } = this.config;
    if (runningPid(this.process) === undefined) {
      for (const port of [ports.registry, ports.registryManagement]) {
        if (await tcpAccepts(host, port)) {
          throw new Error(
            `Port ${port} is already in use by another program: set PX3_REGISTRY_PORT / PX3_REGISTRY_MANAGEMENT_PORT or PX3_PORT_OFFSET, or point SCHEMA_REGISTRY_URL at an existing registry.`,
          );
        }
      }
      const java = this.java ?? (await resolveJava(21, this.config.cacheDir, log));
      startDetached(this.process, {
        command: java.binary,
        cwd: this.dir,
        args: [
          '-Xms64m',
          `-Xmx${this.config.registryHeap}`,
          '-XX:+UseSerialGC',
          '-XX:TieredStopAtLevel=1',
          '-Djava.util.logging.manager=org.jboss.logmanager.LogManager',
          `-Dquarkus.http.host=${host}`,
          `-Dquarkus.http.port=${ports.registry}`,
          `-Dquarkus.management.host=${host}`,
          `-Dquarkus.management.port=${ports.registryManagement}`,
          '-Dquarkus.http.access-log.enabled=false',
          '-Dapicurio.storage.kind=sql',
          '-Dapicurio.storage.sql.kind=h2',
          `-Dapicurio.datasource.url=jdbc:h2:file:${join(this.dir, 'h2', 'registry')};DB_CLOSE_ON_EXIT=FALSE`,
          '-Dapicurio.rest.deletion.artifact.enabled=true',
          '-Dapicurio.rest.deletion.artifact-version.enabled=true',
          '-Dapicurio.rest.deletion.group.enabled=true',
          '-jar',
          join(this.appDir, 'quarkus-run.jar'),
        ],
      });
    }
    const t0 = Date.now();
    await waitUntil(() => httpOk(`${this.url}/subjects`), {
      component: 'Schema registry (Apicurio)',
      logFile: this.process.logFile,
      timeoutMs: 120_000,
      alive: () => runningPid(this.process) !== undefined,
    });
    log(`schema registry ready on ${this.url} (${Date.now() - t0} ms)`);
  }

  stop(): Promise<'stopped' | 'killed' | 'not-running'> {
    return stopProcess(this.process, 'SIGTERM', 20_000);
  }

  status(): ComponentStatus {
    const pid = runningPid(this.process);
    return {
      name: this.name,
      state: pid ? 'running' : 'stopped',
      pid,
      address: this.url,
      dataDir: join(this.dir, 'h2'),
      logFile: this.process.logFile,
    };
  }

  environment(): Record<string, string> {
    return { SCHEMA_REGISTRY_URL: this.url };
  }
}
