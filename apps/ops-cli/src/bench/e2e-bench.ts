import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackgroundLoop } from '@pardot-x3/service-runtime/background-loop';
import { signWebhook } from '@pardot-x3/access';
import { TOPIC_CATALOG, TOPICS, type GoldenCustomer, type SourceRecordChanged } from '@pardot-x3/canonical';
import { x3SourceChange } from '@pardot-x3/ingestion';
import {
  blockLayout,
  localOperatorKey,
  PIPELINE_SERVICES,
  SANDBOX_ADMIN_TOKEN,
  SANDBOX_SYSTEMS,
  SANDBOX_X3,
  sandboxEnvironment,
  sandboxUrl,
  serviceEnvironment,
  serviceUrl,
  type PipelineInfrastructure,
  type PipelineLayout,
  type SandboxSystem,
} from '@pardot-x3/local-pipeline';
import { LocalStack, runningPid } from '@pardot-x3/local-stack';
import { loadMessagingConfig, Messaging } from '@pardot-x3/messaging';
import { createLogger } from '@pardot-x3/observability';
import { X3_SIGNATURE_HEADER, X3_TIMESTAMP_HEADER } from '@pardot-x3/x3-connector';
import kafkajs from 'kafkajs';
import { recreateDatabase } from '../commands/demo.command.js';
import { appProcess, stopApp, type AppProcess } from '../processes/app-process.supervisor.js';
import { buildProjects } from '../processes/nx-build.js';
import { deleteNamespaceTopics, startBenchProcesses, x3CustomerTemplate } from './bench-pipeline.js';
import { summarizeCpuProfile, type CpuProfile, type CpuProfileSummary } from './cpu-profile-summary.js';
import {
  e2eChecks,
  e2eTable,
  fmt,
  formatTable,
  latencySummary,
  maxConcurrency,
  renderE2eChartSvg,
  type E2eMeasurements,
  type ProcessUsage,
  type WritesPerUpdate,
} from './e2e-report.js';

/**
 * `./pardot-x3 bench e2e`: the whole pipeline beside a raw Kafka pass-through on the same broker, in
 * one run. It starts its own pipeline (namespace `bench-e2e.`, database `pardot_x3_bench`, sandboxes and
 * services on ports 23001–23300) against the dev stack's Kafka, registry and PostgreSQL, measures by
 * reading the mastered topic and the sandboxes' ledgers, and stops what it started.
 */

/** Every run has a topic namespace of its own (`bench-e2e-<time>.`): recreating topics Kafka is still deleting is slow. */
const NAMESPACE_PREFIX = 'bench-e2e-';
const NAMESPACE = `${NAMESPACE_PREFIX}${Date.now().toString(36)}.`;
const DATABASE = 'pardot_x3_bench';
const PORT_BASE = 23_000;
const WEBHOOK_MAX_MS = 60_000;
const log = (line: string): void => console.error(`[bench e2e] ${line}`);

export interface E2eOptions {
  readonly changes: number;
  readonly rate: number;
  readonly duration: number;
  readonly updateEntities: number;
  readonly spreadEntities: number;
  readonly webhooks: number;
  readonly webhookConcurrency: number;
  readonly coalescingMs: number;
  readonly burstTimeoutS: number;
  readonly drainTimeoutS: number;
  readonly build: boolean;
  readonly keep: boolean;
  /** Services started with `--cpu-prof`: their profiles are summarised in the report (where the time goes). */
  readonly cpuProf: readonly string[];
}

export const E2E_PROFILES: Readonly<
  Record<'default' | 'quick', Omit<E2eOptions, 'build' | 'keep' | 'cpuProf'>>
> = {
  default: {
    changes: 5_000,
    rate: 200,
    duration: 30,
    updateEntities: 200,
    spreadEntities: 100,
    webhooks: 3_000,
    webhookConcurrency: 16,
    coalescingMs: 5_000,
    burstTimeoutS: 180,
    drainTimeoutS: 90,
  },
  quick: {
    changes: 500,
    rate: 200,
    duration: 10,
    updateEntities: 50,
    spreadEntities: 30,
    webhooks: 500,
    webhookConcurrency: 16,
    coalescingMs: 5_000,
    burstTimeoutS: 45,
    drainTimeoutS: 45,
  },
};

interface LedgerEntry {
  readonly seq: number;
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

interface RequestEntry {
  readonly seq: number;
  readonly at: string;
  readonly path: string;
  readonly ms: number;
}

export async function runE2eBench(options: E2eOptions): Promise<void> {
  const started = Date.now();
  const stack = new LocalStack();
  const root = stack.config.rootDir;
  const layout = blockLayout(PORT_BASE);
  const services = PIPELINE_SERVICES.map((s) => appProcess('bench-e2e', s, s, layout.servicePorts[s]));
  const sandboxes = SANDBOX_SYSTEMS.map((s) =>
    appProcess('bench-e2e', `sandbox-${s}`, `sandbox-${s}`, layout.sandboxPorts[s]),
  );
  const all = [...sandboxes, ...services];
  let messaging: Messaging | undefined;
  let watcher: MasteredWatcher | undefined;
  let sampler: ProcessSampler | undefined;
  let infrastructure: PipelineInfrastructure | undefined;
  let measurements: E2eMeasurements | undefined;
  let stopStack: (() => Promise<void>) | undefined;
  const profileDir = join(
    root,
    'reports',
    'bench',
    'profiles',
    new Date().toISOString().replace(/[:.]/g, '-'),
  );
  const profiledPids = new Map<number, string>();
  const unknown = options.cpuProf.filter((s) => !(PIPELINE_SERVICES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`--cpu-prof: unknown service ${unknown.join(', ')}`);
  try {
    if (options.build) await buildProjects([...all.map((p) => p.app), 'ops-cli'], log);
    log('1/9 local stack, database and topics');
    const stackStartedHere = !stack.isRunning();
    const env = await stack.up(log);
    if (stackStartedHere && !options.keep) stopStack = () => stack.down().then(() => undefined);
    infrastructure = {
      KAFKA_BROKERS: env.KAFKA_BROKERS,
      SCHEMA_REGISTRY_URL: env.SCHEMA_REGISTRY_URL,
      DATABASE_URL: await recreateDatabase(env.DATABASE_URL, DATABASE),
      PX3_TOPIC_NAMESPACE: NAMESPACE,
    };
    // earlier runs' topics, should one have been cut short (best effort: a broker just started may refuse)
    await deleteNamespaceTopics(infrastructure.KAFKA_BROKERS, NAMESPACE_PREFIX, 'bench-e2e-cleanup').catch(
      (error: unknown) => log(`could not delete earlier runs' topics: ${(error as Error).message}`),
    );
    process.env['KAFKA_BROKERS'] = infrastructure.KAFKA_BROKERS;
    process.env['SCHEMA_REGISTRY_URL'] = infrastructure.SCHEMA_REGISTRY_URL;
    process.env['PX3_TOPIC_NAMESPACE'] = NAMESPACE;
    messaging = await Messaging.create({
      config: loadMessagingConfig('ops-cli-bench-e2e', process.env),
      // the broker's answers while topics are being created are logged by kafkajs as errors: noise here
      logger: createLogger({ service: 'ops-cli-bench-e2e', level: 'fatal', destination: process.stderr }),
    });
    await retrying('creating the topics and registering the schemas', () =>
      messaging!.provision(TOPIC_CATALOG),
    );

    log(
      `2/9 sandboxes (${layout.sandboxPorts.salesforce}/${layout.sandboxPorts.pardot}/${layout.sandboxPorts.x3}) and services (${layout.servicePorts['salesforce-ingest']}–${layout.servicePorts['x3-order-writer']})`,
    );
    await startBenchProcesses(
      sandboxes,
      (p) => ({
        ...process.env,
        ...sandboxEnvironment(systemOf(p), layout),
        HOST: '127.0.0.1',
      }),
      log,
    );
    const configDir = join(root, 'config');
    const apiKeys = localOperatorKey(stack.config.homeDir).apiKeys;
    await startBenchProcesses(
      services,
      (p) => ({
        ...process.env,
        ...serviceEnvironment(p.app as (typeof PIPELINE_SERVICES)[number], layout, infrastructure!, {
          configDir,
          apiKeys,
        }),
        CUSTOMER_WRITE_COALESCING_MS: String(options.coalescingMs),
        ...(options.cpuProf.includes(p.name)
          ? {
              NODE_OPTIONS:
                `${process.env['NODE_OPTIONS'] ?? ''} --cpu-prof --cpu-prof-dir=${profileDir}`.trim(),
            }
          : {}),
      }),
      log,
    );
    for (const p of services) {
      const pid = runningPid(p);
      if (pid !== undefined && options.cpuProf.includes(p.name)) profiledPids.set(pid, p.name);
    }

    watcher = await MasteredWatcher.start(messaging, infrastructure.KAFKA_BROKERS);
    sampler = new ProcessSampler(services);
    sampler.start();
    const sandbox = new Sandboxes(layout);

    log('3/9 waiting for the pipeline to settle after start (the seeded worlds flow in)');
    await settle(watcher, sandbox, 8_000, 120_000);
    const idleRss = sampler.rss();

    const source = await SourceWriter.create(messaging, await x3CustomerTemplate(layout));

    log(`4/9 raw pass-through baseline: ${options.changes} messages of ${source.messageBytes} B`);
    const baseline = await retrying('the raw pass-through', () =>
      rawPassThrough(infrastructure!.KAFKA_BROKERS, options.changes, source.messageBytes),
    ).catch((error: unknown) => {
      log(`    the raw pass-through failed: ${(error as Error).message}; going on without it`);
      return { items: 0, seconds: 0, complete: false, messageBytes: source.messageBytes };
    });
    log(`    ${baseline.seconds > 0 ? Math.round(baseline.items / baseline.seconds) : '—'}/s`);

    sampler.load(true);
    const burstCodes = codes('BB', options.changes);
    log(`5/9 burst: ${options.changes} distinct X3 customer changes into ${NAMESPACE}x3.customer.changed.v1`);
    const burst = await runBurst(source, watcher, sandbox, sampler, burstCodes, options);

    log(`6/9 bursts of 5 updates for ${options.updateEntities} customers`);
    const updateBursts = await runUpdates(source, watcher, sandbox, {
      codes: burstCodes.slice(0, options.updateEntities),
      updatesPerEntity: 5,
      spacingMs: 0,
      tag: 'U',
      quietBefore: burst.quiet,
      options,
    });
    const spacingMs = options.coalescingMs + 2_000;
    log(`7/9 spread out: 3 updates ${spacingMs / 1000} s apart for ${options.spreadEntities} customers`);
    const spreadOut = await runUpdates(source, watcher, sandbox, {
      codes: burstCodes.slice(options.updateEntities, options.updateEntities + options.spreadEntities),
      updatesPerEntity: 3,
      spacingMs,
      tag: 'S',
      quietBefore: updateBursts.quiet,
      options,
    });

    log(`8/9 steady load: ${options.rate} changes/s for ${options.duration} s`);
    const steady = await runSteady(source, watcher, options);
    log('9/9 x3-ingest webhook: signed notifications as Sage X3 sends them');
    const webhook = await runWebhook(layout, options);
    sampler.load(false);

    const processes: ProcessUsage[] = services.map((p) => ({
      name: p.name,
      idleRssMb: idleRss.get(p.name) ?? null,
      loadRssMb: sampler!.peak(p.name),
      burstCpuPercent: burst.cpu.get(p.name) ?? null,
    }));
    measurements = {
      baseline,
      burst: burst.result,
      steady,
      updateBursts: updateBursts.result,
      spreadOut: { ...spreadOut.result, spacingMs },
      webhook,
      processes,
    };
  } finally {
    await sampler?.stop();
    await watcher?.stop();
    await messaging?.close();
    if (options.keep)
      log(`leaving the pipeline running (.stack/bench-e2e/*.pid); stop: ./pardot-x3 bench e2e down`);
    else await stopE2ePipeline(infrastructure);
    if (stopStack) {
      log('stopping the local stack (started by this run)');
      await stopStack();
    }
  }
  // profiles are written when a profiled service exits, so only after the stop
  const profiles = options.keep ? {} : readProfiles(profileDir, profiledPids);
  if (measurements) writeReport(root, measurements, options, (Date.now() - started) / 1000, profiles);
}

/** The CPU profiles of the services started with --cpu-prof, summarised per service. */
function readProfiles(dir: string, pids: ReadonlyMap<number, string>): Record<string, CpuProfileSummary> {
  const out: Record<string, CpuProfileSummary> = {};
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const pid = Number(file.split('.')[3]);
    const name = pids.get(pid) ?? `pid ${pid}`;
    try {
      out[name] = summarizeCpuProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
    } catch (error) {
      log(`could not read the CPU profile ${file}: ${(error as Error).message}`);
    }
  }
  return out;
}

/** Stops the bench's services and sandboxes, and drops its topics and database. */
export async function stopE2ePipeline(infrastructure?: PipelineInfrastructure): Promise<void> {
  const layout = blockLayout(PORT_BASE);
  const processes = [
    ...PIPELINE_SERVICES.map((s) => appProcess('bench-e2e', s, s, layout.servicePorts[s])),
    ...SANDBOX_SYSTEMS.map((s) =>
      appProcess('bench-e2e', `sandbox-${s}`, `sandbox-${s}`, layout.sandboxPorts[s]),
    ),
  ];
  const outcomes = await Promise.all(processes.map(async (p) => `${p.name} ${await stopApp(p)}`));
  log(`stopped: ${outcomes.join(', ')}`);
  const env = infrastructure ?? new LocalStack().environment();
  try {
    await deleteNamespaceTopics(env.KAFKA_BROKERS, NAMESPACE_PREFIX, 'bench-e2e-cleanup');
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
    log(`dropped the bench's topics (namespaces ${NAMESPACE_PREFIX}*) and database ${DATABASE}`);
  } catch (error) {
    log(`could not clean up topics or database: ${(error as Error).message}`);
  }
}

function systemOf(p: AppProcess): SandboxSystem {
  return p.app.replace('sandbox-', '') as SandboxSystem;
}

/** Runs `body`, again after 2 s and 5 s when it fails (a broker under load answers late). */
async function retrying<T>(what: string, body: () => Promise<T>): Promise<T> {
  for (const wait of [2_000, 5_000]) {
    try {
      return await body();
    } catch (error) {
      log(`${what} failed (${(error as Error).message}); again in ${wait / 1000} s`);
      await sleep(wait);
    }
  }
  return body();
}

const codes = (prefix: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(6, '0')}`);

// ---------------------------------------------------------------------------------------------------
// What goes in: X3 customer changes as x3-ingest publishes them

const x3Authorization = (): string =>
  `Basic ${Buffer.from(`${SANDBOX_X3.erpUser.name}:${SANDBOX_X3.erpUser.password}`).toString('base64')}`;

/**
 * Writes X3 customer changes into the X3 source topic as x3-ingest publishes them: a `$details` record
 * of the X3 sandbox with a new key, name, e-mail, phone and city, turned into a source event by the
 * ingestion library's own `x3SourceChange`.
 */
class SourceWriter {
  /** Size of one change on the wire (Avro, Confluent framing): the baseline sends messages this large. */
  messageBytes = 0;
  private tick = 1;

  private constructor(
    private readonly messaging: Messaging,
    private readonly template: Record<string, unknown>,
  ) {}

  static async create(messaging: Messaging, template: Record<string, unknown>): Promise<SourceWriter> {
    const writer = new SourceWriter(messaging, template);
    const topic = TOPICS.x3CustomerChangedV1;
    const bytes = await messaging.serde.serialize(
      `${NAMESPACE}${topic.name}-value`,
      topic.value,
      writer.change('BB000000', 0),
    );
    writer.messageBytes = bytes.length;
    return writer;
  }

  /** One X3 customer, version `version` (0: as created; higher: a new city and phone). */
  change(code: string, version: number, city?: string): SourceRecordChanged {
    const lower = code.toLowerCase();
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const record = {
      ...this.template,
      $uuid: randomUUID(),
      BPCNUM: code,
      BPCNAM: `Bench ${code} SARL`,
      BPCSHO: code,
      CNTNAM: `Bench Customer ${code}`,
      WEB: `bench.${lower}@bench-e2e.example`,
      TEL: `+33 1 42 ${String(version).padStart(2, '0')} ${code.slice(-4, -2)} ${code.slice(-2)}`,
      CTY: city ?? 'Paris',
      CREDATTIM: now,
      UPDDATTIM: now,
      UPDTICK: (this.tick += 1),
      UPDUSR: 'ERPUSER',
    };
    return x3SourceChange({
      className: 'BPCUSTOMER',
      record,
      via: 'WEBHOOK',
      folder: SANDBOX_X3.folder,
      kind: version === 0 ? 'CREATE' : 'UPDATE',
    }).change;
  }

  /** Sends changes in batches of 500; resolves with the time Kafka acknowledged each batch, per code. */
  async send(changes: readonly SourceRecordChanged[], acked?: Map<string, number>): Promise<void> {
    for (let i = 0; i < changes.length; i += 500) {
      const batch = changes.slice(i, i + 500);
      await this.messaging.producer.sendAll(
        batch.map((value) => ({ topic: TOPICS.x3CustomerChangedV1, value })),
      );
      const now = Date.now();
      if (acked) for (const c of batch) if (!acked.has(c.recordId)) acked.set(c.recordId, now);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// What comes out: mastered customers (the topic), target calls (the sandboxes' ledgers)

interface MasteredEvent {
  readonly at: number;
  readonly city: string | null;
}

class MasteredWatcher {
  readonly byCode = new Map<string, MasteredEvent[]>();
  total = 0;

  private constructor(private readonly consumer: kafkajs.Consumer) {}

  static async start(messaging: Messaging, brokers: string): Promise<MasteredWatcher> {
    const kafka = new kafkajs.Kafka({
      clientId: 'bench-e2e-watcher',
      brokers: brokers.split(','),
      logLevel: kafkajs.logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `${NAMESPACE}bench-watcher-${randomUUID()}` });
    const watcher = new MasteredWatcher(consumer);
    const topic = TOPICS.customerGoldenRecordMasteredV1;
    await consumer.connect();
    await consumer.subscribe({ topic: `${NAMESPACE}${topic.name}`, fromBeginning: true });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => void (joined = true));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          if (!message.value) continue;
          const golden: GoldenCustomer = await messaging.serde.deserialize(message.value, topic.value);
          watcher.total += 1;
          const at = Number(message.timestamp);
          const ids = new Set(
            [golden.customerCode, ...golden.xrefs.x3CustomerCodes].filter((c): c is string => !!c),
          );
          for (const id of ids) {
            if (!id.startsWith('B')) continue;
            const list = watcher.byCode.get(id) ?? [];
            list.push({ at, city: golden.address?.city ?? null });
            watcher.byCode.set(id, list);
          }
        }
      },
    });
    const deadline = Date.now() + 60_000;
    while (!joined && Date.now() < deadline) await sleep(100);
    return watcher;
  }

  first(code: string, since = 0): MasteredEvent | undefined {
    return this.byCode.get(code)?.find((e) => e.at >= since);
  }

  count(codes: readonly string[], since = 0): number {
    return codes.reduce((n, c) => n + (this.byCode.get(c)?.filter((e) => e.at >= since).length ?? 0), 0);
  }

  latestCity(code: string): string | null | undefined {
    return this.byCode.get(code)?.at(-1)?.city;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
  }
}

class Sandboxes {
  constructor(private readonly layout: PipelineLayout) {}

  private async get<T>(system: SandboxSystem, path: string): Promise<T> {
    const res = await fetch(`${sandboxUrl(this.layout, system)}/__admin/${path}`, {
      headers: { 'x-admin-token': SANDBOX_ADMIN_TOKEN },
      signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok) throw new Error(`sandbox ${system} ${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  async lastSeq(system: SandboxSystem): Promise<number> {
    return (await this.get<{ ledger: { lastSeq: number } }>(system, 'state')).ledger.lastSeq;
  }

  async ledger(system: SandboxSystem, since: number): Promise<LedgerEntry[]> {
    const out: LedgerEntry[] = [];
    for (let after = since; ;) {
      const { entries } = await this.get<{ entries: LedgerEntry[] }>(
        system,
        `ledger?since=${after}&limit=1000`,
      );
      out.push(...entries);
      if (entries.length < 1000) return out;
      after = entries.at(-1)?.seq ?? after;
    }
  }

  async requests(system: SandboxSystem): Promise<RequestEntry[]> {
    return (await this.get<{ requests: RequestEntry[] }>(system, 'requests?limit=1000')).requests;
  }
}

const isProspectWrite = (e: LedgerEntry): boolean => e.method !== 'GET' && /\/prospects/.test(e.path);
const isSalesforceCall = (e: LedgerEntry): boolean =>
  e.method !== 'GET' && e.path.startsWith('/services/data/');

/** Waits until nothing new is mastered and no sandbox records a write for `quietMs` (at most `maxMs`). */
async function settle(
  watcher: MasteredWatcher,
  sandbox: Sandboxes,
  quietMs: number,
  maxMs: number,
): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  let last = '';
  let since = Date.now();
  while (Date.now() < deadline) {
    const now = [watcher.total, ...(await Promise.all(SANDBOX_SYSTEMS.map((s) => sandbox.lastSeq(s))))].join(
      ',',
    );
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return true;
    await sleep(500);
  }
  log(`    not quiet after ${maxMs / 1000} s; going on`);
  return false;
}

/** Calls `probe` every 250 ms until it says done or the time is up; logs progress every 5 s. */
async function waitFor(
  what: string,
  timeoutMs: number,
  probe: () => { done: number; total: number },
): Promise<boolean> {
  const start = Date.now();
  let lastLog = start;
  for (;;) {
    const { done, total } = probe();
    if (done >= total) return true;
    if (Date.now() - start > timeoutMs) {
      log(`    ${what}: ${done}/${total} after ${timeoutMs / 1000} s — stopped waiting`);
      return false;
    }
    if (Date.now() - lastLog >= 5_000) {
      lastLog = Date.now();
      log(`    ${what}: ${done}/${total} (${Math.round((Date.now() - start) / 1000)} s)`);
    }
    await sleep(250);
  }
}

// ---------------------------------------------------------------------------------------------------
// The phases

async function rawPassThrough(
  brokers: string,
  count: number,
  bytes: number,
): Promise<E2eMeasurements['baseline']> {
  const kafka = new kafkajs.Kafka({
    clientId: 'bench-e2e-raw',
    brokers: brokers.split(','),
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { initialRetryTime: 200, retries: 10 },
  });
  const run = randomUUID().slice(0, 8);
  const input = `${NAMESPACE}raw.${run}.in`;
  const output = `${NAMESPACE}raw.${run}.out`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [input, output].map((topic) => ({ topic, numPartitions: 3 })),
    waitForLeaders: true,
  });
  // the broker may take a moment to serve partitions it has just created
  for (let attempt = 0; ; attempt += 1) {
    const served = await admin
      .fetchTopicMetadata({ topics: [input, output] })
      .then(({ topics }) =>
        topics.every((t) => t.partitions.length === 3 && t.partitions.every((p) => p.leader >= 0)),
      )
      .catch(() => false);
    if (served) break;
    if (attempt > 300) throw new Error(`the broker does not serve ${input} and ${output} after 60 s`);
    await sleep(200);
  }
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true });
  const relay = kafka.producer({ idempotent: true });
  const consumer = kafka.consumer({ groupId: `${NAMESPACE}raw-relay` });
  await Promise.all([producer.connect(), relay.connect(), consumer.connect()]);
  let relayed = 0;
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => void (joined = true));
  try {
    await consumer.subscribe({ topic: input, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        await relay.send({
          topic: output,
          messages: batch.messages.map((m) => ({ key: m.key, value: m.value })),
        });
        relayed += batch.messages.length;
        const last = batch.messages.at(-1);
        if (last) resolveOffset(last.offset);
        await heartbeat();
      },
    });
    while (!joined) await sleep(50);
    const payload = Buffer.alloc(bytes, 'x');
    const start = performance.now();
    for (let i = 0; i < count; i += 500)
      await producer.send({
        topic: input,
        messages: Array.from({ length: Math.min(500, count - i) }, (_, j) => ({
          key: `k${i + j}`,
          value: payload,
        })),
      });
    const complete = await waitFor('pass-through', 120_000, () => ({ done: relayed, total: count }));
    return { items: relayed, seconds: (performance.now() - start) / 1000, complete, messageBytes: bytes };
  } finally {
    await consumer.disconnect();
    await Promise.all([producer.disconnect(), relay.disconnect()]);
  }
}

async function runBurst(
  source: SourceWriter,
  watcher: MasteredWatcher,
  sandbox: Sandboxes,
  sampler: ProcessSampler,
  burstCodes: readonly string[],
  options: E2eOptions,
): Promise<{ result: E2eMeasurements['burst']; cpu: Map<string, number>; quiet: boolean }> {
  const pardotFrom = await sandbox.lastSeq('pardot');
  const salesforceFrom = await sandbox.lastSeq('salesforce');
  const requests = new RequestSampler(sandbox, 'pardot');
  requests.start();
  const cpuFrom = sampler.ticks();
  const start = Date.now();
  const acked = new Map<string, number>();
  await source.send(
    burstCodes.map((c) => source.change(c, 0)),
    acked,
  );
  log(`    ${burstCodes.length} changes written in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  const complete = await waitFor('mastered', options.burstTimeoutS * 1000, () => ({
    done: burstCodes.filter((c) => watcher.byCode.has(c)).length,
    total: burstCodes.length,
  }));
  const firsts = burstCodes.map((c) => watcher.first(c)?.at).filter((t): t is number => t !== undefined);
  const lastMastered = firsts.length > 0 ? Math.max(...firsts) : Date.now();
  const cpu = sampler.cpuSince(cpuFrom);
  const quiet = await settle(watcher, sandbox, options.coalescingMs + 3_000, options.drainTimeoutS * 1000);
  await requests.stop();
  const pardot = (await sandbox.ledger('pardot', pardotFrom)).filter(isProspectWrite);
  const lastWrite = pardot.length > 0 ? Math.max(...pardot.map((e) => Date.parse(e.at))) : start;
  const salesforce = (await sandbox.ledger('salesforce', salesforceFrom)).filter(isSalesforceCall);
  const latencies = burstCodes.flatMap((c) => {
    const first = watcher.first(c);
    return first ? [first.at - start] : [];
  });
  const calls = requests.seen.filter((r) => r.path.startsWith('/api/'));
  return {
    cpu,
    quiet,
    result: {
      changes: burstCodes.length,
      mastered: { items: firsts.length, seconds: (lastMastered - start) / 1000, complete },
      masteredEvents: watcher.count(burstCodes),
      latencyMs: latencySummary(latencies),
      pardotWrites: {
        items: pardot.length,
        seconds: (lastWrite - start) / 1000,
        complete: complete && quiet,
      },
      salesforceCalls: salesforce.length,
      pardotBudget: {
        calls: calls.length,
        maxConcurrency: maxConcurrency(calls.map((r) => ({ startMs: Date.parse(r.at), durationMs: r.ms }))),
        concurrencyLimit: Number(process.env['PARDOT_MAX_CONCURRENCY'] ?? 5),
        dailyBudget: Number(process.env['PARDOT_DAILY_BUDGET'] ?? 25_000),
        observedShare: requests.observedShare(),
      },
    },
  };
}

async function runUpdates(
  source: SourceWriter,
  watcher: MasteredWatcher,
  sandbox: Sandboxes,
  run: {
    codes: readonly string[];
    updatesPerEntity: number;
    spacingMs: number;
    tag: string;
    /** Whether the writers were quiet when the phase began (else earlier writes are counted too). */
    quietBefore: boolean;
    options: E2eOptions;
  },
): Promise<{ result: WritesPerUpdate; quiet: boolean }> {
  const { codes: entities, updatesPerEntity, options } = run;
  const pardotFrom = await sandbox.lastSeq('pardot');
  const start = Date.now();
  const city = (v: number): string => `Ville ${run.tag}${v}`;
  for (let v = 1; v <= updatesPerEntity; v += 1) {
    if (run.spacingMs === 0) {
      // a burst: every update of an entity back to back (one batch, per-key order kept)
      await source.send(
        entities.flatMap((c) =>
          Array.from({ length: updatesPerEntity }, (_, i) => source.change(c, i + 1, city(i + 1))),
        ),
      );
      break;
    }
    await source.send(entities.map((c) => source.change(c, v, city(v))));
    if (v < updatesPerEntity) await sleep(run.spacingMs);
  }
  const final = city(updatesPerEntity);
  await waitFor('last update mastered', options.drainTimeoutS * 1000, () => ({
    done: entities.filter((c) => watcher.latestCity(c) === final).length,
    total: entities.length,
  }));
  const quiet = await settle(watcher, sandbox, options.coalescingMs + 3_000, options.drainTimeoutS * 1000);
  const writes = (await sandbox.ledger('pardot', pardotFrom)).filter(isProspectWrite);
  const result: WritesPerUpdate = {
    quietBefore: run.quietBefore,
    entities: entities.length,
    updatesPerEntity,
    pardotWrites: writes.length,
    masteredEvents: watcher.count(entities, start),
    settled: entities.filter((c) => watcher.latestCity(c) === final).length,
    coalescingWindowMs: options.coalescingMs,
  };
  return { result, quiet };
}

async function runSteady(
  source: SourceWriter,
  watcher: MasteredWatcher,
  options: E2eOptions,
): Promise<E2eMeasurements['steady']> {
  const total = Math.round(options.rate * options.duration);
  const steadyCodes = codes('BL', total);
  const acked = new Map<string, number>();
  const start = Date.now();
  let sent = 0;
  let lastLog = start;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * options.rate) + 1);
    if (due > sent) {
      await source.send(
        steadyCodes.slice(sent, due).map((c) => source.change(c, 0)),
        acked,
      );
      sent = due;
    }
    if (Date.now() - lastLog >= 5_000) {
      lastLog = Date.now();
      const mastered = steadyCodes.slice(0, sent).filter((c) => watcher.byCode.has(c)).length;
      log(`    sent ${sent}/${total}, mastered ${mastered}`);
    }
    await sleep(50);
  }
  await waitFor('mastered', options.drainTimeoutS * 1000, () => ({
    done: steadyCodes.filter((c) => watcher.byCode.has(c)).length,
    total,
  }));
  const latencies = steadyCodes.flatMap((c) => {
    const sentAt = acked.get(c);
    const first = watcher.first(c);
    return sentAt !== undefined && first ? [Math.max(0, first.at - sentAt)] : [];
  });
  return {
    offeredPerSecond: options.rate,
    seconds: options.duration,
    sent: total,
    mastered: latencies.length,
    latencyMs: latencySummary(latencies),
  };
}

async function runWebhook(layout: PipelineLayout, options: E2eOptions): Promise<E2eMeasurements['webhook']> {
  const x3 = `${sandboxUrl(layout, 'x3')}/api1/x3/erp/${SANDBOX_X3.folder}`;
  const auth = x3Authorization();
  const list = (await (
    await fetch(`${x3}/BPCUSTOMER?representation=BPCUSTOMER.$query&count=20`, {
      headers: { authorization: auth },
    })
  ).json()) as { $resources: Record<string, unknown>[] };
  const records = await Promise.all(
    list.$resources.map(async (r) => {
      const key = String(r['BPCNUM']);
      const res = await fetch(`${x3}/BPCUSTOMER('${key}')?representation=BPCUSTOMER.$details`, {
        headers: { authorization: auth },
      });
      return { key, record: (await res.json()) as Record<string, unknown> };
    }),
  );
  if (records.length === 0) throw new Error('the X3 sandbox has no customers to notify about');
  const url = `${serviceUrl(layout, 'x3-ingest')}/webhooks/x3`;
  const latencies: number[] = [];
  let next = 0;
  let accepted = 0;
  let attempted = 0;
  const failures = new Map<string, number>();
  const start = performance.now();
  const sender = async (): Promise<void> => {
    for (let i = next++; i < options.webhooks; i = next++) {
      // at most a minute: a slow front door is measured well enough by then
      if (performance.now() - start > WEBHOOK_MAX_MS) break;
      attempted += 1;
      const { key, record } = records[i % records.length]!;
      const now = new Date(Date.now() + i);
      const body = JSON.stringify({
        eventId: randomUUID(),
        folder: SANDBOX_X3.folder,
        class: 'BPCUSTOMER',
        representation: 'BPCUSTOMER',
        key,
        changeType: 'UPDATE',
        UPDDATTIM: now.toISOString(),
        UPDTICK: 1_000 + i,
        occurredAt: now.toISOString(),
        record: { ...record, UPDDATTIM: now.toISOString(), UPDTICK: 1_000 + i },
      });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const t0 = performance.now();
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [X3_TIMESTAMP_HEADER]: timestamp,
            [X3_SIGNATURE_HEADER]: signWebhook(SANDBOX_X3.webhookSecret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(60_000),
        });
        await res.arrayBuffer();
        if (res.ok) {
          accepted += 1;
          latencies.push(performance.now() - t0);
        } else failures.set(`HTTP ${res.status}`, (failures.get(`HTTP ${res.status}`) ?? 0) + 1);
      } catch (error) {
        const reason = (error as Error).name;
        failures.set(reason, (failures.get(reason) ?? 0) + 1);
      }
    }
  };
  const progress = new BackgroundLoop({
    name: 'bench-e2e:webhook-progress',
    intervalMs: 5_000,
    runAtStart: false,
    run: async () => log(`    webhook: ${accepted}/${options.webhooks} accepted`),
    onError: () => undefined,
  });
  progress.start();
  try {
    await Promise.all(Array.from({ length: options.webhookConcurrency }, sender));
  } finally {
    await progress.stop();
  }
  const seconds = (performance.now() - start) / 1000;
  if (failures.size > 0)
    log(`    webhook refusals: ${[...failures].map(([k, v]) => `${k} × ${v}`).join(', ')}`);
  return {
    sent: attempted,
    accepted,
    seconds,
    concurrency: options.webhookConcurrency,
    latencyMs: latencySummary(latencies),
  };
}

// ---------------------------------------------------------------------------------------------------
// Samplers: the Pardot sandbox's request log (budget, concurrency), the services' /proc entries

class RequestSampler {
  readonly seen: RequestEntry[] = [];
  private lastSeq = -1;
  private missed = 0;
  private loop?: BackgroundLoop;
  private busy = false;

  constructor(
    private readonly sandbox: Sandboxes,
    private readonly system: SandboxSystem,
  ) {}

  start(): void {
    let first = true;
    this.loop = new BackgroundLoop({
      name: `bench-e2e:requests:${this.system}`,
      intervalMs: 500,
      run: async () => {
        await this.poll(first);
        first = false;
      },
      onError: () => undefined,
    });
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  observedShare(): number {
    return this.seen.length + this.missed === 0 ? 1 : this.seen.length / (this.seen.length + this.missed);
  }

  private async poll(first: boolean): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const entries = await this.sandbox.requests(this.system);
      if (first) {
        this.lastSeq = entries.at(-1)?.seq ?? 0;
        return;
      }
      const fresh = entries.filter((e) => e.seq > this.lastSeq);
      const oldest = fresh[0];
      if (oldest && oldest.seq > this.lastSeq + 1) this.missed += oldest.seq - this.lastSeq - 1;
      // the request log counts the sampler's own admin calls too: keep them out of what is seen
      this.seen.push(...fresh.filter((e) => !e.path.startsWith('/__admin')));
      this.lastSeq = fresh.at(-1)?.seq ?? this.lastSeq;
    } catch {
      // a missed sample shows as a gap in the sequence
    } finally {
      this.busy = false;
    }
  }
}

class ProcessSampler {
  private readonly peaks = new Map<string, number>();
  private latestRss = new Map<string, number>();
  private loading = false;
  private loop?: BackgroundLoop;

  constructor(private readonly processes: readonly AppProcess[]) {}

  start(): void {
    this.loop = new BackgroundLoop({
      name: 'bench-e2e:process-sampler',
      intervalMs: 1_000,
      run: async () => this.sample(),
      onError: () => undefined,
    });
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  load(on: boolean): void {
    this.loading = on;
  }

  rss(): Map<string, number> {
    this.sample();
    return new Map(this.latestRss);
  }

  peak(name: string): number | null {
    return this.peaks.get(name) ?? null;
  }

  /** CPU ticks (user + system) per process now, with the time. */
  ticks(): { at: number; ticks: Map<string, number> } {
    const ticks = new Map<string, number>();
    for (const p of this.processes) {
      const pid = runningPid(p);
      const t = pid === undefined ? undefined : readCpuTicks(pid);
      if (t !== undefined) ticks.set(p.name, t);
    }
    return { at: Date.now(), ticks };
  }

  /** Mean CPU since a {@link ticks} snapshot, in % of one core (Linux clock ticks: 100 per second). */
  cpuSince(from: { at: number; ticks: Map<string, number> }): Map<string, number> {
    const now = this.ticks();
    const seconds = (now.at - from.at) / 1000;
    const out = new Map<string, number>();
    for (const [name, t] of now.ticks) {
      const before = from.ticks.get(name);
      if (before !== undefined && seconds > 0) out.set(name, ((t - before) / 100 / seconds) * 100);
    }
    return out;
  }

  private sample(): void {
    for (const p of this.processes) {
      const pid = runningPid(p);
      const rss = pid === undefined ? undefined : readRssMb(pid);
      if (rss === undefined) continue;
      this.latestRss.set(p.name, rss);
      if (this.loading) this.peaks.set(p.name, Math.max(this.peaks.get(p.name) ?? 0, rss));
    }
  }
}

function readRssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function readCpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after the command: state(0) ppid(1) ... utime(11) stime(12)
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// The report

function writeReport(
  root: string,
  m: E2eMeasurements,
  options: E2eOptions,
  seconds: number,
  profiles: Record<string, CpuProfileSummary>,
): void {
  const commit = git(root, ['rev-parse', '--short', 'HEAD']);
  const dirty = git(root, ['status', '--porcelain', '--untracked-files=no']) !== '';
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    ramGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  const at = new Date().toISOString();
  const checks = e2eChecks(m);
  const report = {
    at,
    commit,
    dirty,
    seconds: Math.round(seconds),
    machine,
    options,
    measurements: m,
    checks,
    profiles,
  };
  const dir = join(root, 'reports', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `e2e-${at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'e2e-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const svgDir = join(root, 'docs', 'performance');
  mkdirSync(svgDir, { recursive: true });
  const caption = `pardot-x3 ${commit}${dirty ? '+' : ''} · ${machine.cpus} cores · Node ${machine.node} · ${at.slice(0, 16)}Z · ./pardot-x3 bench e2e`;
  writeFileSync(join(svgDir, 'e2e-latest.svg'), renderE2eChartSvg(m, caption));
  console.log(formatTable(e2eTable(m)));
  console.log(
    `\n${machine.cpus} cores (${machine.cpuModel}), ${machine.ramGb} GB, Node ${machine.node}, commit ${commit}${dirty ? ' (uncommitted changes)' : ''}; ${Math.round(seconds)} s`,
  );
  for (const [name, summary] of Object.entries(profiles)) {
    console.log(
      `\nwhere ${name}'s CPU went (${fmt(summary.busyMs / 1000, 1)} s busy of ${fmt(summary.totalMs / 1000, 0)} s profiled):`,
    );
    for (const o of summary.byOrigin) console.log(`  ${fmt(o.share * 100, 1).padStart(5)} %  ${o.name}`);
    console.log('  top functions (self time):');
    for (const f of summary.topFunctions.slice(0, 8))
      console.log(`  ${fmt(f.share * 100, 1).padStart(5)} %  ${f.name}`);
  }
  console.log(`written: ${file}, reports/bench/e2e-latest.json, docs/performance/e2e-latest.svg`);
}

function git(root: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
