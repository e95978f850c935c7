/**
 * How fast x3-ingest accepts signed X3 webhooks, and how fast the changes then reach
 * `x3.customer.changed.v1`, on the real broker, registry and PostgreSQL with the X3 sandbox behind it
 * (customer turnover on, as in the demo). x3-ingest and the sandbox run as their own processes from
 * their builds; this process signs and sends N notifications (N distinct customers) with C concurrent
 * senders and reads the output topic.
 *
 * Run against a running stack: `npx nx run x3-ingest:bench` (KAFKA_BROKERS, SCHEMA_REGISTRY_URL and
 * DATABASE_URL from `eval "$(./pardot-x3 stack env)"`), or `./pardot-x3 bench x3-ingest`.
 * BENCH_X3_WEBHOOKS (default 5000) and BENCH_X3_CONCURRENCY (default "16,64") choose the load;
 * BENCH_X3_INGEST_MAIN runs another build of x3-ingest (e.g. an older commit's, for a before/after), and
 * BENCH_X3_INGEST_NODE_ARGS passes node flags to it (`--cpu-prof --cpu-prof-dir=/tmp/prof`);
 * BENCH_X3_PORTS (`24000,24001`) fixes the sandbox's and x3-ingest's ports.
 * x3-ingest runs as `bench e2e` and `services up` run it: LOG_LEVEL=info and the services' V8 flags
 * (BENCH_X3_INGEST_NODE_OPTIONS, default SERVICE_NODE_OPTIONS of libs/ops/local-pipeline, ADR 0132),
 * so the per-request costs measured here are the production ones.
 * Prints one JSON line per measurement and writes them to reports/bench/. Numbers, not assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signWebhook } from '@pardot-x3/access';
import { TOPIC_CATALOG, TOPICS, type TopicCatalog } from '@pardot-x3/canonical';
import { Messaging, onEventBatch } from '@pardot-x3/messaging';
import { createLogger } from '@pardot-x3/observability';
import pg from 'pg';
import { Registry } from 'prom-client';

const WEBHOOKS = Number(process.env['BENCH_X3_WEBHOOKS'] ?? 5_000);
const CONCURRENCY = (process.env['BENCH_X3_CONCURRENCY'] ?? '16,64').split(',').map(Number);
/** `BENCH_X3_PORTS=24000,24001`: the X3 sandbox's and x3-ingest's ports (default: two free ones). */
const PORTS = process.env['BENCH_X3_PORTS']?.split(',').map(Number);
/**
 * As services run: SERVICE_NODE_OPTIONS of libs/ops/local-pipeline (ADR 0132), written out because a
 * pipeline app may not import an ops lib.
 */
const INGEST_NODE_OPTIONS =
  process.env['BENCH_X3_INGEST_NODE_OPTIONS'] ??
  '--max-semi-space-size=1 --max-old-space-size=128 --v8-pool-size=1';
const SECRET = 'x3-ingest-bench-webhook-secret';
const ADMIN_TOKEN = 'x3-ingest-bench-admin-token';
const X3_USER = { name: 'PX3BENCH', password: 'x3-ingest-bench-password' };
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: eval "$(./pardot-x3 stack env)" first`);
  return value;
};

const measurements: Record<string, unknown>[] = [];
function report(measurement: Record<string, unknown>): void {
  measurements.push(measurement);
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

function log(line: string): void {
  process.stderr.write(`[x3-ingest bench] ${line}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 600_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts `apps/<app>/dist/main.js` (built by the bench target's dependencies) and waits until it is ready. */
async function startApp(app: string, port: number, settings: Record<string, string>): Promise<ChildProcess> {
  const nodeArgs =
    app === 'x3-ingest' ? (process.env['BENCH_X3_INGEST_NODE_ARGS'] ?? '').split(' ').filter(Boolean) : [];
  const main =
    (app === 'x3-ingest' ? process.env['BENCH_X3_INGEST_MAIN'] : undefined) ??
    join(ROOT, 'apps', app, 'dist', 'main.js');
  const child = spawn(process.execPath, [...nodeArgs, main], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      // x3-ingest logs as it does in the pipeline; the sandbox, which stands in for X3, quietly
      LOG_LEVEL: app === 'x3-ingest' ? 'info' : 'warn',
      ...(app === 'x3-ingest' ? { NODE_OPTIONS: INGEST_NODE_OPTIONS } : {}),
      ...settings,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  // Stopped from outside (a timeout, Ctrl-C): the processes started here stop too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      child.kill('SIGKILL');
      process.exit(130);
    });
  await until(
    async () => {
      if (exited) throw new Error(`${app} exited before it was ready`);
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      return response.ok ? true : undefined;
    },
    `${app} to be ready`,
    120_000,
  );
  return child;
}

async function stopApp(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/**
 * CPU time a process used so far (user + system, ms; Linux /proc, 100 ticks a second), or undefined
 * elsewhere. On a shared machine, CPU per webhook is the figure that does not depend on the neighbours.
 */
function cpuMs(child: ChildProcess | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${child?.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 10) / 10;
}

function notification(code: string, tick: number): string {
  const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return JSON.stringify({
    eventId: randomBytes(8).toString('hex'),
    folder: 'SEED',
    class: 'BPCUSTOMER',
    representation: 'BPCUSTOMER',
    key: code,
    changeType: 'UPDATE',
    UPDDATTIM: at,
    UPDTICK: tick,
    record: {
      BPCNUM: code,
      BPCNAM: `Bench Customer ${code}`,
      CUR: 'EUR',
      CRY: 'FR',
      CTY: 'Nantes',
      WEB: [`${code.toLowerCase()}@bench.example`],
      UPDDATTIM: at,
      UPDTICK: tick,
      UPDUSR: 'JDUPONT',
    },
  });
}

async function main(): Promise<void> {
  const brokers = env('KAFKA_BROKERS').split(',');
  const registryUrl = env('SCHEMA_REGISTRY_URL');
  const adminUrl = env('DATABASE_URL');
  const namespace = `bench-x3-${randomBytes(3).toString('hex')}.`;
  const database = `px3_bench_x3_ingest_${randomBytes(3).toString('hex')}`;
  const logger = createLogger({ service: 'x3-ingest-bench', level: 'warn', destination: process.stderr });
  const messaging = await Messaging.create({
    config: {
      service: 'x3-ingest-bench',
      brokers,
      clientId: 'x3-ingest-bench',
      ssl: false,
      schemaRegistry: { url: registryUrl },
      namespace,
      driver: 'kafkajs',
    },
    logger,
    metricsRegistry: new Registry(),
  });
  const topics = TOPIC_CATALOG.topics.filter((t) => t.name.startsWith('x3.'));
  // What this process reads: the customer source events x3-ingest publishes.
  const outputGroup = {
    name: 'x3-ingest.bench-output',
    description: 'bench',
    topics: [TOPICS.x3CustomerChangedV1.name],
    retryDelaysMs: [],
  };
  const catalog: TopicCatalog = {
    ...TOPIC_CATALOG,
    topics,
    consumerGroups: [
      ...TOPIC_CATALOG.consumerGroups.filter((g) => g.name.startsWith('x3-ingest.')),
      outputGroup,
    ],
  };
  await messaging.provision(catalog);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${database}`;

  let sandbox: ChildProcess | undefined;
  let ingest: ChildProcess | undefined;
  const published = new Set<string>();
  const runner = messaging.consumer({
    group: outputGroup,
    handlers: [
      onEventBatch(
        TOPICS.x3CustomerChangedV1,
        async (items) => {
          for (const item of items) published.add(item.event.recordId);
        },
        { maxBatchSize: 500 },
      ),
    ],
    readReplays: false,
  });
  try {
    const x3Port = PORTS?.[0] ?? (await freePort());
    const ingestPort = PORTS?.[1] ?? (await freePort());
    log(`namespace ${namespace}, database ${database}; X3 sandbox on ${x3Port}, x3-ingest on ${ingestPort}`);
    sandbox = await startApp('sandbox-x3', x3Port, {
      SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN,
      SANDBOX_TOKEN_SECRET: 'x3-ingest-bench-token-secret',
      X3_USERS: `${X3_USER.name}:${X3_USER.password}`,
    });
    ingest = await startApp('x3-ingest', ingestPort, {
      KAFKA_BROKERS: brokers.join(','),
      SCHEMA_REGISTRY_URL: registryUrl,
      PX3_TOPIC_NAMESPACE: namespace,
      DATABASE_URL: databaseUrl.toString(),
      X3_BASE_URL: `http://127.0.0.1:${x3Port}`,
      X3_FOLDER: 'SEED',
      X3_USERNAME: X3_USER.name,
      X3_PASSWORD: X3_USER.password,
      X3_WEBHOOK_SECRET: SECRET,
      X3_POLL_CLASSES: '',
    });
    await runner.start();

    for (const [round, concurrency] of CONCURRENCY.entries()) {
      const codes = Array.from({ length: WEBHOOKS }, (_, i) => `B${round}${String(i).padStart(6, '0')}`);
      const latencies: number[] = [];
      const statuses = new Map<number, number>();
      let next = 0;
      const cpuAtStart = cpuMs(ingest);
      const startedAt = performance.now();
      const sender = async (): Promise<void> => {
        for (;;) {
          const index = next++;
          const code = codes[index];
          if (code === undefined) return;
          const body = notification(code, 2);
          const timestamp = String(Math.floor(Date.now() / 1000));
          const sent = performance.now();
          const response = await fetch(`http://127.0.0.1:${ingestPort}/webhooks/x3`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-x3-timestamp': timestamp,
              'x-x3-signature': signWebhook(SECRET, timestamp, Buffer.from(body)),
            },
            body,
          });
          await response.arrayBuffer();
          latencies.push(performance.now() - sent);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, () => sender()));
      const acceptSeconds = (performance.now() - startedAt) / 1_000;
      const cpuAccepting = (cpuMs(ingest) ?? NaN) - (cpuAtStart ?? NaN);
      const accepted = [...statuses.entries()]
        .filter(([status]) => status >= 200 && status < 300)
        .reduce((sum, [, count]) => sum + count, 0);
      latencies.sort((a, b) => a - b);
      await until(
        () => (codes.every((c) => published.has(c)) ? true : undefined),
        `the ${WEBHOOKS} changes on x3.customer.changed.v1`,
      );
      const drainSeconds = (performance.now() - startedAt) / 1_000;
      const cpuTotal = (cpuMs(ingest) ?? NaN) - (cpuAtStart ?? NaN);
      report({
        measure: 'x3-ingest signed webhooks accepted',
        notifications: WEBHOOKS,
        concurrency,
        acceptedPerSecond: Math.round(accepted / acceptSeconds),
        answerP50Ms: percentile(latencies, 50),
        answerP99Ms: percentile(latencies, 99),
        statuses: Object.fromEntries(statuses),
        seconds: Math.round(acceptSeconds * 100) / 100,
        // x3-ingest's CPU while the webhooks were being answered (its worker runs meanwhile)
        x3IngestCpuMsPerWebhook: Math.round((cpuAccepting / WEBHOOKS) * 100) / 100,
        loadAverage1m: loadavg()[0],
      });
      report({
        measure: 'x3-ingest webhook to x3.customer.changed.v1',
        notifications: WEBHOOKS,
        concurrency,
        publishedPerSecond: Math.round(WEBHOOKS / drainSeconds),
        seconds: Math.round(drainSeconds * 100) / 100,
        // x3-ingest's CPU per change, webhook and worker together (X3 reads, source events)
        x3IngestCpuMsPerChange: Math.round((cpuTotal / WEBHOOKS) * 100) / 100,
      });
    }
  } finally {
    await runner.stop().catch(() => undefined);
    await stopApp(ingest);
    await stopApp(sandbox);
    await messaging.close();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
  const dir = join(ROOT, 'reports', 'bench');
  mkdirSync(dir, { recursive: true });
  const at = new Date().toISOString();
  const file = join(dir, `x3-ingest-webhooks-${at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ at, machine: { cpus: cpus().length, node: process.version }, measurements }, null, 2)}\n`,
  );
  log(`written to ${file}`);
}

await main();
