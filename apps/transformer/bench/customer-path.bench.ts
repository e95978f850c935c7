/**
 * Throughput of the transformer's customer path on the real broker and registry: N distinct X3
 * customer changes are written to `x3.customer.changed.v1` first, then the built transformer starts as
 * its own process (as in production) and maps them to `customer.observation.recorded.v1`; the bench
 * watches the output topic's end offsets until all N are there.
 * Run against a running stack: `./pardot-x3 bench transformer` (or `npx nx run transformer:bench` after
 * `eval "$(./pardot-x3 stack env)"`). BENCH_CUSTOMERS sets N (default 20,000).
 * Prints one JSON line per measurement. Numbers, not assertions: see docs/performance.md.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CONSUMER_GROUPS,
  TOPIC_CATALOG,
  TOPICS,
  type SourceRecordChanged,
  type TopicCatalog,
} from '@pardot-x3/canonical';
import { loadMessagingConfig, Messaging, outgoingEvent } from '@pardot-x3/messaging';
import { createLogger } from '@pardot-x3/observability';
import { Registry } from 'prom-client';

const COUNT = Number(process.env['BENCH_CUSTOMERS'] ?? 20_000);
const PORT = Number(process.env['BENCH_TRANSFORMER_PORT'] ?? 20993);
const TIMEOUT_MS = Number(process.env['BENCH_TIMEOUT_MS'] ?? 600_000);
const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const CONFIG_DIR = fileURLToPath(new URL('../../../../config/', import.meta.url));

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: eval "$(./pardot-x3 stack env)" first`);
  return value;
};

/** One X3 customer as x3-ingest publishes it (fields flattened to dotted paths). */
const x3Customer = (i: number): SourceRecordChanged => {
  const code = `B${String(i).padStart(7, '0')}`;
  return {
    system: 'X3',
    sourceInstance: null,
    entity: 'BPCUSTOMER',
    recordId: code,
    changeType: 'UPDATED',
    changedAt: new Date(),
    via: 'POLL',
    changedFields: [],
    fields: {
      BPCNUM: code,
      BPCNAM: `Customer ${i} SARL`,
      BCGCOD: 'hvc',
      CUR: 'eur',
      PTE: '30DEOM',
      VACBPR: 'FRA',
      OSTCTL: '2',
      BPCSTA: '2',
      BPAADD: 'MAIN',
      BPAADDLIG: null,
      CTY: 'Paris',
      POSCOD: '75002',
      SAT: '',
      CRY: 'FR',
      CNTFNA: 'Jane',
      CNTLNA: 'Doe',
      'WEB.0': `customer${i}@acme-industrie.fr`,
      'TEL.0': '01 42 68 53 00',
      'TSCCOD.0': 'MFG',
      YTOTREVENUE: '184250.40',
      YLASTORDDAT: '2026-10-28',
      YACCOUNTMGR: 'MDUPONT',
      UPDDATTIM: '2026-11-20T09:15:00Z',
    },
    lines: [],
    origin: null,
  };
};

function report(measurement: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Peak resident memory of a process in MB (Linux), or undefined. */
function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in ms (Linux), or undefined. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // utime and stime are fields 14 and 15, in clock ticks (100 per second), after the command's ')'.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

const namespace = `bench-transformer-${randomBytes(3).toString('hex')}.`;
const logger = createLogger({ service: 'transformer-bench', level: 'warn', destination: process.stderr });
const messaging = await Messaging.create({
  config: loadMessagingConfig('x3-ingest', {
    KAFKA_BROKERS: env('KAFKA_BROKERS'),
    SCHEMA_REGISTRY_URL: env('SCHEMA_REGISTRY_URL'),
    PX3_TOPIC_NAMESPACE: namespace,
  }),
  logger,
  metricsRegistry: new Registry(),
});
// Every topic the transformer's groups read and write, sized for one broker (as the tests do).
const groups = Object.values(CONSUMER_GROUPS).filter((g) => g.name.startsWith('transformer.'));
const topicNames = new Set(groups.flatMap((g) => g.topics));
topicNames.add(TOPICS.customerObservationRecordedV1.name);
for (const output of [
  TOPICS.salesOrderRequestedV1,
  TOPICS.salesOrderCreatedV1,
  TOPICS.salesShipmentValidatedV1,
  TOPICS.salesInvoicePostedV1,
  TOPICS.inventoryStockLevelChangedV1,
  TOPICS.engagementActivityRecordedV1,
])
  topicNames.add(output.name);
const catalog: TopicCatalog = {
  ...TOPIC_CATALOG,
  topics: TOPIC_CATALOG.topics
    .filter((t) => topicNames.has(t.name))
    .map((t) => ({ ...t, partitions: Math.min(t.partitions, 3) })),
  consumerGroups: groups,
  replicationFactor: 1,
  minInsyncReplicas: 1,
};
await messaging.provision(catalog);
const admin = await messaging.admin();
const physical = (name: string) => messaging.namespace.topic(name);
const endOffsetSum = async (topic: string): Promise<number> =>
  (await admin.fetchTopicOffsets(physical(topic))).reduce((sum, p) => sum + Number(p.high), 0);

let child: ReturnType<typeof spawn> | undefined;
try {
  for (let i = 0; i < COUNT; i += 500) {
    await messaging.producer.sendAll(
      Array.from({ length: Math.min(500, COUNT - i) }, (_, j) =>
        outgoingEvent(TOPICS.x3CustomerChangedV1, x3Customer(i + j)),
      ),
    );
  }

  const started = performance.now();
  child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', MAIN], {
    env: {
      ...process.env,
      KAFKA_BROKERS: env('KAFKA_BROKERS'),
      SCHEMA_REGISTRY_URL: env('SCHEMA_REGISTRY_URL'),
      PX3_TOPIC_NAMESPACE: namespace,
      PX3_CONFIG_DIR: CONFIG_DIR,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
  let firstOutputAt: number | undefined;
  let firstOutput = 0;
  let cpuAtFirstOutput: number | undefined;
  let out = 0;
  const output = TOPICS.customerObservationRecordedV1.name;
  const deadLetters = `${CONSUMER_GROUPS.transformerCustomerSources.name}.dlq`;
  for (;;) {
    if (performance.now() - started > TIMEOUT_MS) throw new Error(`timed out with ${out}/${COUNT} out`);
    if (child.exitCode !== null) throw new Error(`the transformer exited (${child.exitCode})`);
    out = await endOffsetSum(output);
    if (out > 0 && firstOutputAt === undefined) {
      firstOutputAt = performance.now();
      firstOutput = out;
      cpuAtFirstOutput = cpuMs(child.pid);
    }
    if (out >= COUNT) break;
    if ((await endOffsetSum(deadLetters)) + out >= COUNT) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const finishedAt = performance.now();
  const rss = peakRssMb(child.pid);
  const cpuAtEnd = cpuMs(child.pid);
  const steadyCpuMs =
    cpuAtEnd === undefined || cpuAtFirstOutput === undefined ? undefined : cpuAtEnd - cpuAtFirstOutput;
  const dead = await endOffsetSum(deadLetters);
  const steadySeconds = (finishedAt - (firstOutputAt ?? started)) / 1_000;
  report({
    measure: 'customer path: x3 customer changes to observations',
    events: COUNT,
    observations: out,
    deadLetters: dead,
    seconds: round((finishedAt - started) / 1_000),
    eventsPerSecond: Math.round(COUNT / ((finishedAt - started) / 1_000)),
    firstToLastSeconds: round(steadySeconds),
    steadyEventsPerSecond: Math.round((out - firstOutput) / Math.max(steadySeconds, 0.001)),
    cpuMsPerEvent:
      steadyCpuMs === undefined ? undefined : round(steadyCpuMs / Math.max(1, out - firstOutput)),
    eventsPerCpuSecond:
      steadyCpuMs === undefined ? undefined : Math.round((out - firstOutput) / (steadyCpuMs / 1_000)),
    peakRssMb: rss,
    note: 'from the process start (boot and group join included); steady and CPU: first output to last',
  });
  child.kill('SIGTERM');
  await exited;
} finally {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  const plan = await (await messaging.topicProvisioner()).plan(catalog);
  await admin.deleteTopics(plan.map((t) => t.name));
  await messaging.close();
}
