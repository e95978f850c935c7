import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackgroundLoop } from '@pardot-x3/service-runtime/background-loop';
import { TOPIC_CATALOG, TOPICS, type SourceRecordChanged } from '@pardot-x3/canonical';
import { x3SourceChange } from '@pardot-x3/ingestion';
import {
  localOperatorKey,
  PIPELINE_SERVICES,
  SANDBOX_SYSTEMS,
  SANDBOX_X3,
  SERVICE_NODE_OPTIONS,
  sandboxEnvironment,
  serviceEnvironment,
  type PipelineInfrastructure,
  type PipelineLayout,
  type PipelineService,
  type SandboxSystem,
} from '@pardot-x3/local-pipeline';
import { LocalStack, runningPid } from '@pardot-x3/local-stack';
import { loadMessagingConfig, Messaging } from '@pardot-x3/messaging';
import { createLogger } from '@pardot-x3/observability';
import kafkajs from 'kafkajs';
import { recreateDatabase } from '../commands/demo.command.js';
import { appProcess, stopApp, type AppProcess } from '../processes/app-process.supervisor.js';
import { buildProjects } from '../processes/nx-build.js';
import { deleteNamespaceTopics, startBenchProcesses, x3CustomerTemplate } from './bench-pipeline.js';

/**
 * `./pardot-x3 bench memory`: the resident memory (RSS) of each of the six services, idle and under a
 * burst of X3 customer changes, with the options they run with everywhere (SERVICE_NODE_OPTIONS). It
 * starts its own pipeline (namespace `bench-mem-<time>.`, database `pardot_x3_bench_mem`, services on
 * ports 24101–24106 and sandboxes on 24150/24160/24170) against the dev stack, samples
 * /proc/<pid>/status every 250 ms, stops what it started and writes reports/bench/memory-<time>.json.
 * Issue 12's target: ≤ 150 MB per service, idle and under load (docs/decisions/0132).
 */

const NAMESPACE_PREFIX = 'bench-mem-';
const NAMESPACE = `${NAMESPACE_PREFIX}${Date.now().toString(36)}.`;
const DATABASE = 'pardot_x3_bench_mem';
const GROUP = 'bench-memory';
const TARGET_MB = 150;

const log = (line: string): void => console.error(`[bench memory] ${line}`);

export interface MemoryBenchOptions {
  /** Distinct X3 customer changes written into the X3 source topic for the load phase. */
  readonly changes: number;
  /** Seconds the pipeline is left alone after start before the idle figure is taken. */
  readonly idleSeconds: number;
  /** Options appended to SERVICE_NODE_OPTIONS (to try a V8 flag), e.g. `--lite-mode`. */
  readonly nodeOptions: string;
  readonly build: boolean;
}

/** RSS of one process from /proc: the total, and its anonymous (heap, stacks) and file-backed parts. */
interface RssSample {
  readonly rssMb: number;
  readonly anonMb: number;
  readonly fileMb: number;
}

export interface ServiceMemory {
  readonly name: string;
  /** Highest RSS over the last third of the idle window. */
  readonly idleRssMb: number | null;
  readonly idleAnonMb: number | null;
  readonly idleFileMb: number | null;
  /** Highest RSS from the first change written until 15 s after the last one was mastered. */
  readonly loadRssMb: number | null;
  readonly loadAnonMb: number | null;
  /** CPU during the load phase, % of one core. */
  readonly loadCpuPercent: number | null;
}

/** Ports of their own in 24100–24199: never those of `services up` (3001+), demo or bench e2e (23xxx). */
export function memoryBenchLayout(): PipelineLayout {
  return {
    host: '127.0.0.1',
    servicePorts: Object.fromEntries(PIPELINE_SERVICES.map((s, i) => [s, 24_101 + i])) as Record<
      PipelineService,
      number
    >,
    sandboxPorts: { salesforce: 24_150, pardot: 24_160, x3: 24_170 },
  };
}

function processes(layout: PipelineLayout): { services: AppProcess[]; sandboxes: AppProcess[] } {
  return {
    services: PIPELINE_SERVICES.map((s) => appProcess(GROUP, s, s, layout.servicePorts[s])),
    sandboxes: SANDBOX_SYSTEMS.map((s) =>
      appProcess(GROUP, `sandbox-${s}`, `sandbox-${s}`, layout.sandboxPorts[s]),
    ),
  };
}

export async function runMemoryBench(options: MemoryBenchOptions): Promise<void> {
  const started = Date.now();
  const stack = new LocalStack();
  const root = stack.config.rootDir;
  const layout = memoryBenchLayout();
  const { services, sandboxes } = processes(layout);
  const nodeOptions = `${SERVICE_NODE_OPTIONS} ${options.nodeOptions}`.trim();
  let messaging: Messaging | undefined;
  let counter: MasteredCounter | undefined;
  let sampler: Sampler | undefined;
  let result: { services: ServiceMemory[]; mastered: number; loadSeconds: number } | undefined;
  try {
    if (options.build)
      await buildProjects(
        [...services, ...sandboxes].map((p) => p.app),
        log,
      );
    if (!stack.isRunning()) throw new Error('the local stack is not running: ./pardot-x3 stack up');
    const env = stack.environment();
    const infrastructure: PipelineInfrastructure = {
      KAFKA_BROKERS: env.KAFKA_BROKERS,
      SCHEMA_REGISTRY_URL: env.SCHEMA_REGISTRY_URL,
      DATABASE_URL: await recreateDatabase(env.DATABASE_URL, DATABASE),
      PX3_TOPIC_NAMESPACE: NAMESPACE,
    };
    await deleteNamespaceTopics(env.KAFKA_BROKERS, NAMESPACE_PREFIX, 'bench-memory-cleanup').catch(
      () => undefined,
    );
    process.env['KAFKA_BROKERS'] = infrastructure.KAFKA_BROKERS;
    process.env['SCHEMA_REGISTRY_URL'] = infrastructure.SCHEMA_REGISTRY_URL;
    process.env['PX3_TOPIC_NAMESPACE'] = NAMESPACE;
    messaging = await Messaging.create({
      config: loadMessagingConfig('ops-cli-bench-memory', process.env),
      logger: createLogger({ service: 'ops-cli-bench-memory', level: 'fatal', destination: process.stderr }),
    });
    await messaging.provision(TOPIC_CATALOG);

    log(
      `sandboxes (24150/24160/24170), then the six services (24101–24106) with NODE_OPTIONS='${nodeOptions}'`,
    );
    await startBenchProcesses(
      sandboxes,
      (p) => ({
        ...process.env,
        ...sandboxEnvironment(p.app.replace('sandbox-', '') as SandboxSystem, layout),
        HOST: '127.0.0.1',
      }),
      log,
    );
    const apiKeys = localOperatorKey(stack.config.homeDir).apiKeys;
    await startBenchProcesses(
      services,
      (p) => ({
        ...process.env,
        ...serviceEnvironment(p.app as PipelineService, layout, infrastructure, {
          configDir: join(root, 'config'),
          apiKeys,
        }),
        CUSTOMER_WRITE_COALESCING_MS: '1000',
        NODE_OPTIONS: nodeOptions,
      }),
      log,
    );
    counter = await MasteredCounter.start(infrastructure.KAFKA_BROKERS);
    sampler = new Sampler(services);
    sampler.start();

    log(`idle: ${options.idleSeconds} s (the seeded worlds flow in first)`);
    await sleep((options.idleSeconds * 2_000) / 3);
    sampler.phase('idle');
    await sleep((options.idleSeconds * 1_000) / 3);

    log(
      `load: ${options.changes} distinct X3 customer changes into ${NAMESPACE}${TOPICS.x3CustomerChangedV1.name}`,
    );
    const before = counter.total;
    const template = await x3CustomerTemplate(layout);
    sampler.phase('load');
    const loadStart = Date.now();
    const changes = Array.from({ length: options.changes }, (_, i) =>
      bencherChange(template, `BM${String(i + 1).padStart(6, '0')}`, i),
    );
    for (let i = 0; i < changes.length; i += 500)
      await messaging.producer.sendAll(
        changes.slice(i, i + 500).map((value) => ({ topic: TOPICS.x3CustomerChangedV1, value })),
      );
    const deadline = Date.now() + 300_000;
    let lastLog = Date.now();
    while (counter.total - before < options.changes && Date.now() < deadline) {
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(`    mastered ${counter.total - before}/${options.changes}`);
      }
      await sleep(250);
    }
    const loadSeconds = (Date.now() - loadStart) / 1000;
    log(
      `    mastered ${counter.total - before}/${options.changes} in ${loadSeconds.toFixed(1)} s; 15 s more for the writers`,
    );
    await sleep(15_000);
    sampler.phase('done');
    result = { services: sampler.summary(), mastered: counter.total - before, loadSeconds };
  } finally {
    await sampler?.stop();
    await counter?.stop();
    await messaging?.close();
    await stopMemoryBench();
  }
  writeReport(root, result, options, nodeOptions, (Date.now() - started) / 1000);
}

/** Stops the bench's services and sandboxes, and drops its topics and database. */
export async function stopMemoryBench(): Promise<void> {
  const { services, sandboxes } = processes(memoryBenchLayout());
  // the services first: a writer still flushing when its sandbox goes logs connection refusals
  const stop = (list: AppProcess[]) => Promise.all(list.map(async (p) => `${p.name} ${await stopApp(p)}`));
  const outcomes = [...(await stop(services)), ...(await stop(sandboxes))];
  log(`stopped: ${outcomes.join(', ')}`);
  const env = new LocalStack().environment();
  try {
    await deleteNamespaceTopics(env.KAFKA_BROKERS, NAMESPACE_PREFIX, 'bench-memory-cleanup');
    const url = new URL(env.DATABASE_URL);
    url.pathname = '/postgres';
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  } catch (error) {
    log(`could not clean up topics or database: ${(error as Error).message}`);
  }
}

/** A new X3 customer as x3-ingest would publish it (the sandbox's C00001 with a new key and contact). */
function bencherChange(template: Record<string, unknown>, code: string, tick: number): SourceRecordChanged {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return x3SourceChange({
    className: 'BPCUSTOMER',
    record: {
      ...template,
      $uuid: randomUUID(),
      BPCNUM: code,
      BPCNAM: `Memory ${code} SARL`,
      BPCSHO: code,
      CNTNAM: `Memory Customer ${code}`,
      WEB: `mem.${code.toLowerCase()}@bench-memory.example`,
      TEL: `+33 1 42 00 ${code.slice(-4, -2)} ${code.slice(-2)}`,
      CREDATTIM: now,
      UPDDATTIM: now,
      UPDTICK: tick + 1,
      UPDUSR: 'ERPUSER',
    },
    via: 'WEBHOOK',
    folder: SANDBOX_X3.folder,
    kind: 'CREATE',
  }).change;
}

/** Counts the messages of the mastered-customer topic (no decoding: the count is all the bench needs). */
class MasteredCounter {
  total = 0;
  private constructor(private readonly consumer: kafkajs.Consumer) {}

  static async start(brokers: string): Promise<MasteredCounter> {
    const kafka = new kafkajs.Kafka({
      clientId: 'bench-memory-counter',
      brokers: brokers.split(','),
      logLevel: kafkajs.logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `${NAMESPACE}counter-${randomUUID()}` });
    const counter = new MasteredCounter(consumer);
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => void (joined = true));
    await consumer.connect();
    await consumer.subscribe({
      topic: `${NAMESPACE}${TOPICS.customerGoldenRecordMasteredV1.name}`,
      fromBeginning: true,
    });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        counter.total += batch.messages.length;
      },
    });
    const deadline = Date.now() + 60_000;
    while (!joined && Date.now() < deadline) await sleep(100);
    return counter;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
  }
}

type Phase = 'warmup' | 'idle' | 'load' | 'done';

class Sampler {
  private current: Phase = 'warmup';
  private readonly idle = new Map<string, RssSample>();
  private readonly load = new Map<string, RssSample>();
  private readonly ticksAtLoad = new Map<string, number>();
  private readonly ticksAtDone = new Map<string, number>();
  private loadStartedAt = 0;
  private loadEndedAt = 0;
  private loop?: BackgroundLoop;

  constructor(private readonly list: readonly AppProcess[]) {}

  start(): void {
    this.loop = new BackgroundLoop({
      name: 'bench-memory:sampler',
      intervalMs: 250,
      runAtStart: false,
      run: async () => this.sample(),
      onError: () => undefined,
    });
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  phase(next: Phase): void {
    this.sample();
    if (next === 'load') {
      this.loadStartedAt = Date.now();
      for (const p of this.list) this.ticksAtLoad.set(p.name, cpuTicks(runningPid(p)) ?? 0);
    }
    if (next === 'done') {
      this.loadEndedAt = Date.now();
      for (const p of this.list) this.ticksAtDone.set(p.name, cpuTicks(runningPid(p)) ?? 0);
    }
    this.current = next;
  }

  summary(): ServiceMemory[] {
    const seconds = (this.loadEndedAt - this.loadStartedAt) / 1000;
    return this.list.map((p) => {
      const idle = this.idle.get(p.name);
      const load = this.load.get(p.name);
      const ticks = (this.ticksAtDone.get(p.name) ?? 0) - (this.ticksAtLoad.get(p.name) ?? 0);
      return {
        name: p.name,
        idleRssMb: idle ? round(idle.rssMb) : null,
        idleAnonMb: idle ? round(idle.anonMb) : null,
        idleFileMb: idle ? round(idle.fileMb) : null,
        loadRssMb: load ? round(load.rssMb) : null,
        loadAnonMb: load ? round(load.anonMb) : null,
        loadCpuPercent: seconds > 0 ? round((ticks / 100 / seconds) * 100) : null,
      };
    });
  }

  private sample(): void {
    const into = this.current === 'idle' ? this.idle : this.current === 'load' ? this.load : undefined;
    if (!into) return;
    for (const p of this.list) {
      const s = rssOf(runningPid(p));
      if (!s) continue;
      const peak = into.get(p.name);
      if (!peak || s.rssMb > peak.rssMb) into.set(p.name, s);
    }
  }
}

function rssOf(pid: number | undefined): RssSample | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, anonMb: kb('RssAnon') / 1024, fileMb: kb('RssFile') / 1024 };
  } catch {
    return undefined;
  }
}

function cpuTicks(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

const round = (n: number): number => Math.round(n * 10) / 10;

function writeReport(
  root: string,
  result: { services: ServiceMemory[]; mastered: number; loadSeconds: number } | undefined,
  options: MemoryBenchOptions,
  nodeOptions: string,
  seconds: number,
): void {
  if (!result) return;
  const at = new Date().toISOString();
  const commit = git(root, ['rev-parse', '--short', 'HEAD']);
  const dirty = git(root, ['status', '--porcelain', '--untracked-files=no']) !== '';
  const report = {
    at,
    commit,
    dirty,
    seconds: Math.round(seconds),
    machine: {
      cpus: cpus().length,
      ramGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      node: process.version,
      loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number),
    },
    options: { ...options, nodeOptions },
    targetMb: TARGET_MB,
    mastered: result.mastered,
    loadSeconds: round(result.loadSeconds),
    services: result.services,
    withinTarget: result.services.every(
      (s) => (s.idleRssMb ?? Infinity) <= TARGET_MB && (s.loadRssMb ?? Infinity) <= TARGET_MB,
    ),
  };
  const dir = join(root, 'reports', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `memory-${at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.table(
    result.services.map((s) => ({
      service: s.name,
      'idle RSS MB': s.idleRssMb,
      'idle anon MB': s.idleAnonMb,
      'idle file MB': s.idleFileMb,
      'load RSS MB': s.loadRssMb,
      'load anon MB': s.loadAnonMb,
      'load CPU %': s.loadCpuPercent,
    })),
  );
  console.log(
    `${result.mastered}/${options.changes} changes mastered in ${round(result.loadSeconds)} s; target ≤ ${TARGET_MB} MB: ${report.withinTarget ? 'met' : 'NOT met'}; commit ${commit}${dirty ? ' (uncommitted changes)' : ''}`,
  );
  console.log(`written: ${file}`);
}

function git(root: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
