import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONSUMER_GROUPS, TOPICS } from '@pardot-x3/canonical';
import { SandboxProcess, TestMessaging, type SandboxSystem } from '@pardot-x3/flow-testing';
import {
  PIPELINE_SERVICES,
  SANDBOX_PARDOT_BUSINESS_UNIT,
  SANDBOX_SALESFORCE_APP,
  SANDBOX_X3,
  blockLayout,
  sandboxEnvironment,
  serviceEnvironment,
  type PipelineLayout,
  type PipelineService,
} from '@pardot-x3/local-pipeline';
import {
  LocalStack,
  findRepositoryRoot,
  loadStackConfig,
  type ComponentName,
  type StackEnvironment,
} from '@pardot-x3/local-stack';
import { createTestDatabase, ServiceProcess } from '@pardot-x3/testing';
import { quickStockPolicyConfig } from './chaos-config.fixture.js';

/**
 * The whole pipeline for the chaos suite, on a stack of its own: its own Kafka broker, schema registry
 * and PostgreSQL (a separate stack home and port offset), so that killing the broker or stopping the
 * database hits nobody else's tests or demo. On it: the three sandboxes and the six services, each its
 * own OS process, the three writers (mdm, pardot-writer, x3-order-writer) as two replicas in one
 * consumer group.
 */

/** Services that run as two replicas. */
export const REPLICATED: readonly PipelineService[] = ['mdm', 'pardot-writer', 'x3-order-writer'];

/** The load's Salesforce client (Sforce-Call-Options), so CDC does not take its changes for echoes. */
export const LOAD_SALESFORCE_CLIENT = 'chaos-sales-rep';

export interface ChaosWorldOptions {
  readonly label: string;
  /** First port of the suite's block: services base+1…6 (replicas base+11…16), sandboxes base+100/200/300. */
  readonly basePort: number;
  /** Offset of the suite's own stack ports (Kafka 9092+offset, registry 8081+offset, PostgreSQL 5432+offset). */
  readonly stackPortOffset: number;
  /** Stack home of the suite's own stack (wiped at start). */
  readonly stackHome: string;
  readonly seedCounts: Readonly<Record<string, number>>;
  readonly log: (line: string) => void;
}

/** One OS process of a service: a replica of its kind. */
export class ChaosProcess {
  kills = 0;
  restarts = 0;
  private starting?: Promise<void>;

  constructor(
    readonly service: PipelineService,
    readonly replica: number,
    readonly port: number,
    readonly process: ServiceProcess,
  ) {}

  get name(): string {
    return `${this.service}#${this.replica}`;
  }

  get running(): boolean {
    return this.process.running && this.starting === undefined;
  }

  /**
   * Starts the process; a start that fails (e.g. the broker is down at boot and the service exits) is
   * tried again with a growing pause, as a process supervisor would, for up to `withinMs`.
   */
  start(withinMs = 240_000): Promise<void> {
    this.starting ??= (async () => {
      let lastError: unknown;
      const deadline = Date.now() + withinMs;
      try {
        for (let attempt = 1; attempt <= 100 && Date.now() < deadline; attempt += 1) {
          try {
            await this.process.start();
            return;
          } catch (error) {
            lastError = error;
            await this.process.kill();
            await sleep(Math.min(2_000 * attempt, 10_000));
          }
        }
        throw lastError instanceof Error ? lastError : new Error(`${this.name} did not start`);
      } finally {
        this.starting = undefined;
      }
    })();
    return this.starting;
  }

  async kill(): Promise<void> {
    await this.process.kill();
    this.kills += 1;
  }

  async restart(): Promise<void> {
    this.restarts += 1;
    await this.start();
  }
}

export class ChaosWorld {
  readonly processes: ChaosProcess[] = [];
  private readonly savedEnv: Record<string, string | undefined> = {};

  private constructor(
    readonly options: ChaosWorldOptions,
    readonly stack: LocalStack,
    readonly stackEnv: StackEnvironment,
    readonly layout: PipelineLayout,
    readonly configDir: string,
  ) {}

  /** Starts the suite's stack, the sandboxes and every service process; everything started is stopped on failure. */
  static async start(options: ChaosWorldOptions): Promise<ChaosWorld> {
    const layout = blockLayout(options.basePort);
    const busy = await busyPorts([
      ...Object.values(layout.servicePorts),
      ...REPLICATED.map((s) => replicaPort(options.basePort, s)),
      ...Object.values(layout.sandboxPorts),
    ]);
    if (busy.length > 0)
      throw new Error(`ports ${busy.join(', ')} are in use (a process left over from an earlier run?)`);
    const root = findRepositoryRoot();
    const stackHome = join(root, options.stackHome);
    // A fresh stack every run: no topics, subjects or databases of an earlier run.
    rmSync(stackHome, { recursive: true, force: true });
    const stack = new LocalStack(
      loadStackConfig({
        ...process.env,
        KAFKA_BROKERS: '',
        SCHEMA_REGISTRY_URL: '',
        DATABASE_URL: '',
        PX3_STACK_HOME: stackHome,
        PX3_PORT_OFFSET: String(options.stackPortOffset),
      }),
    );
    options.log(`starting the chaos stack in ${options.stackHome} (port offset ${options.stackPortOffset})`);
    const stackEnv = await stack.up((line) => options.log(line));
    const world = new ChaosWorld(options, stack, stackEnv, layout, quickStockPolicyConfig());
    try {
      await world.startPipeline();
    } catch (error) {
      await world.stop();
      throw error;
    }
    return world;
  }

  messaging?: TestMessaging;
  database?: { url: string; drop: () => Promise<void> };
  readonly sandboxes = new Map<SandboxSystem, SandboxProcess>();

  private async startPipeline(): Promise<void> {
    const { options, layout } = this;
    // The harness reads the infrastructure from the environment (stackEnv()): point it at our stack.
    for (const [key, value] of Object.entries(this.stackEnv)) {
      this.savedEnv[key] = process.env[key];
      process.env[key] = value;
    }
    // The harness's own Kafka client logs every metadata retry while topics are created: not news here.
    this.savedEnv['TEST_LOG_LEVEL'] = process.env['TEST_LOG_LEVEL'];
    process.env['TEST_LOG_LEVEL'] ??= 'fatal';
    this.database = await createTestDatabase(options.label);
    this.messaging = await TestMessaging.start({
      label: options.label,
      topics: Object.values(TOPICS),
      groups: Object.values(CONSUMER_GROUPS),
    });
    const sandboxes = await Promise.allSettled(
      (['salesforce', 'pardot', 'x3'] as const).map(async (system) => {
        const sandbox = await SandboxProcess.start(
          system,
          layout.sandboxPorts[system],
          {
            ...sandboxEnvironment(system, layout, { seed: 7, counts: options.seedCounts }),
            // The sandboxes' own logs at warn: the ledger is what the checks read.
            LOG_LEVEL: 'warn',
          },
          `${options.label}-sandbox-${system}.log`,
        );
        this.sandboxes.set(system, sandbox);
      }),
    );
    const failed = sandboxes.find((r) => r.status === 'rejected');
    if (failed?.status === 'rejected') throw failed.reason;
    options.log('sandboxes ready');
    for (const service of PIPELINE_SERVICES) {
      const replicas = REPLICATED.includes(service) ? 2 : 1;
      for (let replica = 0; replica < replicas; replica += 1) {
        const port = replica === 0 ? layout.servicePorts[service] : replicaPort(options.basePort, service);
        this.processes.push(
          new ChaosProcess(
            service,
            replica,
            port,
            new ServiceProcess({
              app: service,
              env: this.serviceEnv(service, port),
              logName: `${options.label}-${service}-${replica}.log`,
              readyTimeoutMs: 120_000,
            }),
          ),
        );
      }
    }
    // Two at a time: nine NestJS boots at once on a two-core machine time out each other's readiness.
    const queue = [...this.processes];
    await Promise.all(
      [0, 1].map(async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await next.start();
      }),
    );
    options.log(`${this.processes.length} service processes ready`);
  }

  /** The environment of one service process: the suite's stack, namespace and database, the sandboxes. */
  serviceEnv(service: PipelineService, port: number): Record<string, string> {
    const messaging = this.messaging;
    const database = this.database;
    if (!messaging || !database) throw new Error('the chaos world is not started');
    const base = serviceEnvironment(
      service,
      this.layout,
      { ...this.stackEnv, DATABASE_URL: database.url, PX3_TOPIC_NAMESPACE: messaging.namespace },
      { configDir: this.configDir, quickPolling: true, logLevel: 'info' },
    );
    const own: Partial<Record<PipelineService, Record<string, string>>> = {
      'salesforce-ingest': { SALESFORCE_RECONCILE_INTERVAL_MS: '2000' },
      'pardot-writer': {
        CUSTOMER_WRITE_COALESCING_MS: '1000',
        STOCK_TICK_MS: '500',
        STOCK_FLUSH_MS: '500',
      },
    };
    return { ...base, ...own[service], PORT: String(port), KAFKA_CLIENT_ID: `${service}-${port}` };
  }

  sandbox(system: SandboxSystem): SandboxProcess {
    const sandbox = this.sandboxes.get(system);
    if (!sandbox) throw new Error(`the ${system} sandbox was not started`);
    return sandbox;
  }

  get namespace(): string {
    if (!this.messaging) throw new Error('the chaos world is not started');
    return this.messaging.namespace;
  }

  /** SIGKILL of the broker (`kill -9`), or a graceful stop of the registry / PostgreSQL. */
  async stopInfrastructure(name: ComponentName, kill: boolean): Promise<void> {
    await this.stack.stopComponent(name, { kill });
  }

  async startInfrastructure(name: ComponentName): Promise<void> {
    await this.stack.startComponent(name, (line) => this.options.log(line));
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.processes.map((p) => p.process.stop(15_000)));
    await Promise.allSettled([...this.sandboxes.values()].map((s) => s.stop()));
    await this.messaging?.close().catch(() => undefined);
    await this.stack.down();
    for (const [key, value] of Object.entries(this.savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(this.configDir, { recursive: true, force: true });
    if (process.env['PX3_CHAOS_KEEP_STACK'] !== '1')
      rmSync(join(findRepositoryRoot(), this.options.stackHome), { recursive: true, force: true });
  }
}

export function replicaPort(basePort: number, service: PipelineService): number {
  return basePort + 11 + PIPELINE_SERVICES.indexOf(service);
}

/** The credentials the load uses to act as people working in each system. */
export const LOAD_CREDENTIALS = {
  salesforceClientId: SANDBOX_SALESFORCE_APP.clientId,
  salesforceClientSecret: SANDBOX_SALESFORCE_APP.clientSecret,
  pardotBusinessUnit: SANDBOX_PARDOT_BUSINESS_UNIT,
  x3User: SANDBOX_X3.erpUser,
  x3IntegrationUser: SANDBOX_X3.integrationUser.name,
  x3Folder: SANDBOX_X3.folder,
} as const;

async function busyPorts(ports: readonly number[]): Promise<number[]> {
  const states = await Promise.all(
    ports.map(
      (port) =>
        new Promise<number | undefined>((resolve) => {
          const socket = connect({ port, host: '127.0.0.1' });
          socket.once('connect', () => {
            socket.destroy();
            resolve(port);
          });
          socket.once('error', () => resolve(undefined));
        }),
    ),
  );
  return states.filter((p): p is number => p !== undefined);
}
