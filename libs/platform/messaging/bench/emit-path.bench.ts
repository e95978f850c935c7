/**
 * The emit path of the messaging layer on a real broker and registry: consumers that map each event to
 * one new event (the transformer's shape), through single-event handlers (3 partitions × 4 keys side by
 * side: their sends share producer requests) and through a batch handler (one request per batch).
 * Run against a running stack: `npx nx run messaging:bench` (KAFKA_BROKERS and SCHEMA_REGISTRY_URL from
 * `eval "$(./pardot-x3 stack env)"`). BENCH_EMIT sets the number of events (default 10,000).
 * Prints one JSON line per measurement. Numbers, not assertions: see docs/messaging.md for results.
 */
import { randomBytes } from 'node:crypto';
import { TOPIC_CATALOG, TOPICS, type CustomerObservation, type TopicCatalog } from '@pardot-x3/canonical';
// The benchmark runs against the built library, like the crash-test fixture.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { KafkaJsDriver, Messaging, onEvent, onEventBatch } from '@pardot-x3/messaging';
import { createLogger } from '@pardot-x3/observability';
import { Registry } from 'prom-client';

const COUNT = Number(process.env['BENCH_EMIT'] ?? 10_000);

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: eval "$(./pardot-x3 stack env)" first`);
  return value;
};

const observation = (i: number): CustomerObservation => ({
  sourceSystem: 'X3',
  sourceEntity: 'BPCUSTOMER',
  sourceId: `C${i}`,
  observedAt: new Date(),
  deleted: false,
  email: `customer${i}@acme.example`,
  firstName: 'Jane',
  lastName: 'Doe',
  companyName: 'ACME Industries',
  phone: '+33142685300',
  address: null,
  customerCode: `C${i}`,
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

function report(measurement: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const namespace = `bench-emit-${randomBytes(3).toString('hex')}.`;
const logger = createLogger({ service: 'messaging-bench', level: 'warn', destination: process.stderr });
const brokers = env('KAFKA_BROKERS').split(',');
const driver = new KafkaJsDriver({ clientId: 'bench', brokers, logger });
const messaging = await Messaging.create({
  config: {
    service: 'bench',
    brokers,
    clientId: 'bench',
    ssl: false,
    schemaRegistry: { url: env('SCHEMA_REGISTRY_URL') },
    namespace,
    driver: 'kafkajs',
  },
  logger,
  metricsRegistry: new Registry(),
  driver,
});
const input = { ...TOPICS.customerObservationRecordedV1, partitions: 3 };
// The output: another topic of the same type (its schema and key), as a mapping consumer writes.
const output = {
  ...TOPICS.customerObservationRecordedV1,
  name: 'bench.observation.mapped.v1',
  partitions: 3,
};
const group = (purpose: string) => ({
  name: `transformer.bench-${purpose}`,
  description: 'bench',
  topics: [input.name],
  retryDelaysMs: [],
});
const singleGroup = group('single');
const batchGroup = group('batch');
const catalog: TopicCatalog = {
  ...TOPIC_CATALOG,
  topics: [input, output],
  consumerGroups: [singleGroup, batchGroup],
  replicationFactor: 1,
  minInsyncReplicas: 1,
};
const provisioner = await messaging.topicProvisioner();
await provisioner.create(catalog);
await messaging.schemaPublisher().register(catalog);
const admin = await messaging.admin();
const outputCount = async (): Promise<number> =>
  (await admin.fetchTopicOffsets(messaging.namespace.topic(output.name))).reduce(
    (sum, p) => sum + Number(p.high),
    0,
  );

async function measure(
  measure: string,
  expectedOut: number,
  runner: ReturnType<Messaging['consumer']>,
): Promise<void> {
  const started = performance.now();
  await runner.start();
  let firstAt: number | undefined;
  let first = 0;
  for (;;) {
    const out = await outputCount();
    if (out > expectedOut - COUNT && firstAt === undefined) {
      firstAt = performance.now();
      first = out - (expectedOut - COUNT);
    }
    if (out >= expectedOut) break;
    if (performance.now() - started > 600_000) throw new Error(`${measure}: timed out`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1_000;
  const steady = (performance.now() - (firstAt ?? started)) / 1_000;
  await runner.stop();
  report({
    driver: 'kafkajs',
    measure,
    events: COUNT,
    seconds: round(seconds),
    eventsPerSecond: Math.round(COUNT / seconds),
    steadyEventsPerSecond: Math.round((COUNT - first) / Math.max(steady, 0.001)),
    note: 'consume, emit one event each, sent before the offsets commit; group join included (steady: first output to last)',
  });
}

try {
  for (let i = 0; i < COUNT; i += 500)
    await messaging.producer.sendAll(
      Array.from({ length: Math.min(500, COUNT - i) }, (_, j) => ({
        topic: input,
        value: observation(i + j),
      })),
    );

  await measure(
    'consume and emit, single-event handler',
    COUNT,
    messaging.consumer({
      group: singleGroup,
      partitionConcurrency: 3,
      keyConcurrency: 4,
      handlers: [
        onEvent(input, async (event, context) => {
          context.emit(output, { ...event, sourceSystem: 'SALESFORCE' });
        }),
      ],
    }),
  );
  await measure(
    'consume and emit, batches of 500',
    2 * COUNT,
    messaging.consumer({
      group: batchGroup,
      partitionConcurrency: 3,
      handlers: [
        onEventBatch(
          input,
          async (items) => {
            for (const { event, context } of items)
              context.emit(output, { ...event, sourceSystem: 'SALESFORCE' });
          },
          { maxBatchSize: 500 },
        ),
      ],
    }),
  );
} finally {
  const plan = await provisioner.plan(catalog);
  await admin.deleteTopics(plan.map((t) => t.name));
  await messaging.close();
}
