/**
 * mdm's throughput on the real stack: the built service (`node <MDM_MAIN>`, default this build's
 * dist/main.js) in a namespace and database of its own, fed BENCH_COUNT customer observations as fast
 * as the producer goes, timed until every golden record is mastered. Then the echoes: the Pardot
 * prospect id of each coming back (`pardot.prospect.upserted.v1`), and the same observations read
 * again later with the same values; for each, how many mastered events they caused.
 *
 * `npx nx run mdm:bench` (after `eval "$(./pardot-x3 stack env)"`). BENCH_LABEL names the run
 * (`after`; `before` with MDM_MAIN pointing at an older build). Prints one JSON line per measurement
 * and writes them to reports/bench/mdm-<label>-<time>.json. Numbers, not assertions.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  TOPIC_CATALOG,
  TOPICS,
  CONSUMER_GROUPS,
  type CustomerObservation,
  type GoldenCustomer,
  type TopicCatalog,
} from '@pardot-x3/canonical';
import { Messaging, onEvent, outgoingEvent } from '@pardot-x3/messaging';
import { createLogger } from '@pardot-x3/observability';
import pg from 'pg';
import { Registry } from 'prom-client';

const COUNT = Number(process.env['BENCH_COUNT'] ?? 5_000);
const LABEL = process.env['BENCH_LABEL'] ?? 'after';
const PORT = Number(process.env['BENCH_PORT'] ?? 21091);
const HERE = dirname(fileURLToPath(import.meta.url));
const MDM_MAIN = process.env['MDM_MAIN'] ?? join(HERE, '..', 'main.js');
const ROOT = process.env['NX_WORKSPACE_ROOT'] ?? join(HERE, '..', '..', '..', '..');
const T0 = Date.parse('2026-11-02T10:00:00Z');

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: eval "$(./pardot-x3 stack env)" first`);
  return value;
};

const observation = (i: number, at: number): CustomerObservation => ({
  sourceSystem: 'X3',
  sourceEntity: 'BPCUSTOMER',
  sourceId: `C${String(i).padStart(6, '0')}`,
  observedAt: new Date(T0 + at),
  deleted: false,
  email: `customer${i}@bench.example`,
  firstName: 'Jane',
  lastName: `Doe${i}`,
  companyName: `Company ${i}`,
  phone: '+33142685300',
  address: {
    line1: `${i} rue de la Paix`,
    line2: null,
    city: 'Paris',
    postalCode: '75002',
    region: null,
    countryCode: 'FR',
  },
  customerCode: `C${String(i).padStart(6, '0')}`,
  customerGroup: 'KEY',
  currencyCode: 'EUR',
  paymentTerms: '30NET',
  creditStatus: 'OK',
  totalRevenue: { amount: '125000.5', currencyCode: 'EUR' },
  lastPurchaseDate: '2026-11-01',
  industrySegment: 'Manufacturing',
  pardotGrade: null,
  pardotScore: null,
  customFields: {},
  clearedFields: [],
  links: [],
  quarantinedFields: [],
});

const results: Record<string, unknown>[] = [];
function report(measurement: Record<string, unknown>): void {
  const line = { label: LABEL, ...measurement };
  results.push(line);
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 900_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/** A database of the run's own on the stack's PostgreSQL, dropped at the end. */
async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = env('DATABASE_URL');
  const name = `px3_bench_mdm_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function main(): Promise<void> {
  const namespace = `bench-mdm-${randomBytes(3).toString('hex')}.`;
  const logger = createLogger({ service: 'mdm-bench', level: 'warn', destination: process.stderr });
  const messaging = await Messaging.create({
    config: {
      service: 'bench',
      brokers: env('KAFKA_BROKERS').split(','),
      clientId: 'mdm-bench',
      ssl: false,
      schemaRegistry: { url: env('SCHEMA_REGISTRY_URL') },
      namespace,
      driver: 'kafkajs',
    },
    logger,
    metricsRegistry: new Registry(),
  });
  const topics = [
    TOPICS.customerObservationRecordedV1,
    TOPICS.customerGoldenRecordMasteredV1,
    TOPICS.customerGoldenRecordMergedV1,
    TOPICS.pardotProspectUpsertedV1,
    TOPICS.platformAuditRecordedV1,
  ].map((t) => t.name);
  const collectGroup = {
    name: 'bench.collect-mastered',
    description: 'reads the mastered customers back',
    topics: [TOPICS.customerGoldenRecordMasteredV1.name],
    retryDelaysMs: [],
  };
  const catalog: TopicCatalog = {
    ...TOPIC_CATALOG,
    topics: TOPIC_CATALOG.topics.filter((t) => topics.includes(t.name)),
    consumerGroups: [CONSUMER_GROUPS.mdmCustomerMastering, CONSUMER_GROUPS.mdmProspectLinks, collectGroup],
    replicationFactor: 1,
    minInsyncReplicas: 1,
  };
  await messaging.provision(catalog);
  const database = await benchDatabase();
  const db = new pg.Client({ connectionString: database.url });

  // Every mastered event, as it arrives.
  const mastered: { goldenId: string; version: number; at: number }[] = [];
  const collector = messaging.consumer({
    group: collectGroup,
    handlers: [
      onEvent(TOPICS.customerGoldenRecordMasteredV1, async (golden: GoldenCustomer) => {
        mastered.push({ goldenId: golden.goldenId, version: golden.version, at: performance.now() });
      }),
    ],
  });
  await collector.start();

  const sendAll = async (events: ReturnType<typeof outgoingEvent>[]) => {
    for (let i = 0; i < events.length; i += 500) await messaging.producer.sendAll(events.slice(i, i + 500));
  };
  const produceStarted = performance.now();
  await sendAll(
    Array.from({ length: COUNT }, (_, i) =>
      outgoingEvent(TOPICS.customerObservationRecordedV1, observation(i, 1_000)),
    ),
  );
  const produced = performance.now() - produceStarted;

  // Timed from the start of the process (its readiness probe may wait for a database connection
  // while the consumers hold them all), and from its first mastered event.
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [MDM_MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      KAFKA_BROKERS: env('KAFKA_BROKERS'),
      SCHEMA_REGISTRY_URL: env('SCHEMA_REGISTRY_URL'),
      PX3_TOPIC_NAMESPACE: namespace,
      DATABASE_URL: database.url,
      PX3_CONFIG_DIR: join(ROOT, 'config'),
      PORT: String(PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // The service needs some credentials configured; the bench calls no protected route.
      PX3_API_KEYS: `bench:viewer:${createHash('sha256').update(randomBytes(24)).digest('hex')}`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await db.connect();

    // 1. A burst of distinct customers, waiting in the topic when mdm starts: timed from the start of
    // mdm (and from its first mastered event) to the last mastered.
    let started = spawnedAt;
    await until(() => new Set(mastered.map((m) => m.goldenId)).size >= COUNT);
    let seconds = (performance.now() - started) / 1_000;
    const goldenIds = [...new Set(mastered.map((m) => m.goldenId))];
    const first = Math.min(...mastered.map((m) => m.at));
    const firstToLast = (Math.max(...mastered.map((m) => m.at)) - first) / 1_000;
    report({
      measure: 'burst of distinct customers (waiting in the topic): mdm started → all mastered',
      observations: COUNT,
      produceSeconds: round(produced / 1_000),
      seconds: round(seconds),
      observationsPerSecond: Math.round(COUNT / seconds),
      firstToLastMasteredSeconds: round(firstToLast),
      observationsPerSecondOnceFlowing: Math.round(COUNT / Math.max(firstToLast, 0.001)),
      masteredEvents: mastered.length,
      masteredPerObservation: round(mastered.length / COUNT),
    });

    // 2. The Pardot prospect id of each coming back: cross-references, mastered events caused.
    const beforeLinks = mastered.length;
    started = performance.now();
    await sendAll(
      goldenIds.map((goldenId, i) =>
        outgoingEvent(TOPICS.pardotProspectUpsertedV1, {
          goldenId,
          prospectId: String(800_000 + i),
          businessUnitId: null,
          email: `linked${i}@bench.example`,
          firstName: null,
          lastName: null,
          company: null,
          salesforceLeadId: null,
          salesforceContactId: null,
          score: null,
          grade: null,
          customFields: {},
          created: true,
          upsertedAt: new Date(T0 + 2_000),
        }),
      ),
    );
    await until(async () => {
      const linked = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM mdm_customer_source_record WHERE source_system = 'PARDOT'`,
      );
      return Number(linked.rows[0]?.n ?? 0) >= goldenIds.length;
    });
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // late mastered events
    seconds = (performance.now() - started) / 1_000;
    report({
      measure: 'Pardot prospect ids coming back (pardot.prospect.upserted.v1)',
      linkBacks: goldenIds.length,
      seconds: round(seconds),
      masteredEvents: mastered.length - beforeLinks,
      masteredPerLinkBack: round((mastered.length - beforeLinks) / goldenIds.length),
    });

    // 3. The same observations read again later, same values (a re-read, a poller overlap).
    const beforeRereads = mastered.length;
    started = performance.now();
    await sendAll(
      Array.from({ length: COUNT }, (_, i) =>
        outgoingEvent(TOPICS.customerObservationRecordedV1, observation(i, 5_000)),
      ),
    );
    await until(async () => {
      const done = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM mdm_customer_source_record WHERE source_system = 'X3' AND observed_at = $1`,
        [new Date(T0 + 5_000)],
      );
      return Number(done.rows[0]?.n ?? 0) >= COUNT;
    });
    seconds = (performance.now() - started) / 1_000;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    report({
      measure: 'the same observations again, same values',
      observations: COUNT,
      seconds: round(seconds),
      observationsPerSecond: Math.round(COUNT / seconds),
      masteredEvents: mastered.length - beforeRereads,
      masteredPerObservation: round((mastered.length - beforeRereads) / COUNT),
    });

    const stats = await db.query<{
      xact_commit: string;
      tup_inserted: string;
      tup_updated: string;
      tup_deleted: string;
    }>(
      `SELECT xact_commit, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = current_database()`,
    );
    const s = stats.rows[0];
    if (s)
      report({
        measure: 'PostgreSQL of the whole run (pg_stat_database, all three phases)',
        commits: Number(s.xact_commit),
        inserted: Number(s.tup_inserted),
        updated: Number(s.tup_updated),
        deleted: Number(s.tup_deleted),
        observationsAndLinks: 2 * COUNT + goldenIds.length,
      });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await collector.stop();
    await db.end().catch(() => undefined);
    await messaging.close();
    await database.drop();
  }
  const dir = join(ROOT, 'reports', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `mdm-${LABEL}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ count: COUNT, label: LABEL, mdmMain: MDM_MAIN, results }, null, 2)}\n`,
  );
  process.stdout.write(`written to ${file}\n`);
}

await main();
