/**
 * Throughput and latency of the messaging layer on a real broker, registry and PostgreSQL, per driver.
 * Run against a running stack: `npx nx run messaging:bench` (KAFKA_BROKERS, SCHEMA_REGISTRY_URL and
 * DATABASE_URL from `eval "$(./pardot-x3 stack env)"`;
 * BENCH_DRIVERS=kafkajs,platformatic chooses). First the drivers alone, side by side (raw records through
 * the driver interface, rounds alternating between drivers), then the messaging layer on each driver.
 * Prints one JSON line per measurement. Numbers, not assertions: see docs/messaging.md for results.
 */
import { randomBytes } from 'node:crypto';
import { TOPIC_CATALOG, TOPICS, type CustomerObservation, type TopicCatalog } from '@pardot-x3/canonical';
// The benchmark runs against the built library, like the crash-test fixture.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  KafkaJsDriver,
  Messaging,
  createKafkaDriver,
  onEvent,
  onEventBatch,
  type KafkaDriver,
  type KafkaDriverName,
} from '@pardot-x3/messaging';
import { createLogger } from '@pardot-x3/observability';
import { createDataSource, runMigrations, type DataSource } from '@pardot-x3/persistence';
import { Registry } from 'prom-client';

const PRODUCE_COUNT = Number(process.env['BENCH_PRODUCE'] ?? 20_000);
const INBOX_COUNT = Number(process.env['BENCH_INBOX'] ?? 3_000);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 100);
const RAW_COUNT = Number(process.env['BENCH_RAW'] ?? 100_000);
const RAW_ROUNDS = Number(process.env['BENCH_RAW_ROUNDS'] ?? 2);

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
  address: {
    line1: '1 rue de la Paix',
    line2: null,
    city: 'Paris',
    postalCode: '75002',
    region: null,
    countryCode: 'FR',
  },
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

async function until(condition: () => boolean, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function createDriver(driverName: KafkaDriverName): Promise<KafkaDriver> {
  const logger = createLogger({ service: 'messaging-bench', level: 'warn', destination: process.stderr });
  const options = { clientId: 'bench', brokers: env('KAFKA_BROKERS').split(','), logger };
  switch (driverName) {
    case 'kafkajs':
      return new KafkaJsDriver(options);
    case 'platformatic':
      return createKafkaDriver('platformatic', options);
  }
}

/** CPU seconds (user + system) of this process since `since`. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return round((used.user + used.system) / 1e6);
}

/**
 * The client alone: RAW_COUNT records of 600 B (3 partitions, idempotent producer, batches of 500)
 * produced, then read back through `eachBatch` (3 partitions at a time, offsets committed per batch,
 * as the consumer runner does). No serde, no messaging layer.
 */
async function benchRawDriver(driverName: KafkaDriverName, pass: number): Promise<void> {
  const driver = await createDriver(driverName);
  const topic = `bench-raw-${driverName}-${randomBytes(3).toString('hex')}`;
  const admin = driver.createAdmin();
  await admin.connect();
  await admin.createTopics([{ name: topic, partitions: 3, replicationFactor: 1, configs: {} }]);
  try {
    const producer = driver.createProducer({ idempotent: true });
    await producer.connect();
    const value = randomBytes(600);
    let cpu = process.cpuUsage();
    let started = performance.now();
    for (let i = 0; i < RAW_COUNT; i += 500) {
      await producer.send(
        Array.from({ length: Math.min(500, RAW_COUNT - i) }, (_, j) => ({
          topic,
          key: `customer-${i + j}`,
          value,
          partition: (i + j) % 3,
          headers: { ce_id: `${i + j}` },
        })),
      );
    }
    let seconds = (performance.now() - started) / 1_000;
    report({
      driver: driverName,
      measure: 'raw produce (600 B, batches of 500)',
      round: pass,
      events: RAW_COUNT,
      seconds: round(seconds),
      eventsPerSecond: Math.round(RAW_COUNT / seconds),
      cpuSeconds: cpuSeconds(cpu),
    });
    await producer.disconnect();

    let received = 0;
    let batches = 0;
    const consumer = driver.createConsumer({ groupId: `${topic}.reader`, maxWaitTimeMs: 100 });
    cpu = process.cpuUsage();
    started = performance.now();
    await consumer.connect();
    await consumer.subscribe([topic], true);
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async (batch, control) => {
        received += batch.messages.length;
        batches += 1;
        const last = batch.messages[batch.messages.length - 1];
        if (last) control.resolveOffset(last.offset);
        await consumer.commitOffsets([
          { topic: batch.topic, partition: batch.partition, offset: batch.nextOffset },
        ]);
      },
    });
    await until(() => received >= RAW_COUNT);
    seconds = (performance.now() - started) / 1_000;
    report({
      driver: driverName,
      measure: 'raw consume (eachBatch, commit per batch)',
      round: pass,
      events: received,
      batches,
      seconds: round(seconds),
      eventsPerSecond: Math.round(received / seconds),
      cpuSeconds: cpuSeconds(cpu),
      note: 'includes joining the group',
    });
    await consumer.disconnect();
  } finally {
    await admin.deleteTopics([topic]);
    await admin.disconnect();
  }
}

async function bench(driverName: KafkaDriverName, dataSource: DataSource): Promise<void> {
  const namespace = `bench-${driverName}-${randomBytes(3).toString('hex')}.`;
  const logger = createLogger({ service: 'messaging-bench', level: 'warn', destination: process.stderr });
  const brokers = env('KAFKA_BROKERS').split(',');
  const driver = await createDriver(driverName);
  const messaging = await Messaging.create({
    config: {
      service: 'bench',
      brokers,
      clientId: 'bench',
      ssl: false,
      schemaRegistry: { url: env('SCHEMA_REGISTRY_URL') },
      namespace,
      driver: driverName,
    },
    logger,
    metricsRegistry: new Registry(),
    driver,
  });
  const topic = { ...TOPICS.customerObservationRecordedV1, partitions: 3 };
  const group = (purpose: string) => ({
    name: `mdm.bench-${purpose}`,
    description: 'bench',
    topics: [topic.name],
    retryDelaysMs: [],
  });
  const plainGroup = group('plain');
  const inboxGroup = group('inbox');
  const batchGroup = group('batch');
  const replyGroup = {
    name: 'x3-order-writer.bench',
    description: 'bench',
    topics: [TOPICS.salesOrderRequestedV1.name],
    retryDelaysMs: [],
  };
  const catalog: TopicCatalog = {
    ...TOPIC_CATALOG,
    topics: [topic, TOPICS.salesOrderRequestedV1, TOPICS.salesOrderRepliedV1],
    consumerGroups: [plainGroup, inboxGroup, batchGroup, replyGroup],
    replicationFactor: 1,
    minInsyncReplicas: 1,
  };
  const provisioner = await messaging.topicProvisioner();
  await provisioner.create(catalog);
  await messaging.schemaPublisher().register(catalog);
  try {
    // Producing: batches of 500 events, each a full CustomerObservation (validated, Avro, headers).
    let started = performance.now();
    for (let i = 0; i < PRODUCE_COUNT; i += 500) {
      await messaging.producer.sendAll(
        Array.from({ length: Math.min(500, PRODUCE_COUNT - i) }, (_, j) => ({
          topic,
          value: observation(i + j),
        })),
      );
    }
    let seconds = (performance.now() - started) / 1_000;
    report({
      driver: driverName,
      measure: 'produce',
      events: PRODUCE_COUNT,
      seconds: round(seconds),
      eventsPerSecond: Math.round(PRODUCE_COUNT / seconds),
    });

    // Consuming without a database: decode and call the handler (at least once).
    let handled = 0;
    const plain = messaging.consumer({
      group: plainGroup,
      handlers: [onEvent(topic, async () => void (handled += 1))],
      partitionConcurrency: 3,
    });
    started = performance.now();
    await plain.start();
    await until(() => handled >= PRODUCE_COUNT);
    seconds = (performance.now() - started) / 1_000;
    await plain.stop();
    report({
      driver: driverName,
      measure: 'consume (no inbox)',
      events: handled,
      seconds: round(seconds),
      eventsPerSecond: Math.round(handled / seconds),
      note: 'includes joining the group',
    });

    // Consuming with the inbox: one PostgreSQL transaction per event (exactly-once effects).
    let applied = 0;
    const inbox = messaging.consumer({
      group: inboxGroup,
      dataSource,
      handlers: [
        onEvent(topic, async (_event, context) => {
          await context.entityManager.query('SELECT 1');
          applied += 1;
        }),
      ],
      partitionConcurrency: 3,
      keyConcurrency: 4,
    });
    started = performance.now();
    await inbox.start();
    await until(() => applied >= INBOX_COUNT);
    seconds = (performance.now() - started) / 1_000;
    await inbox.stop();
    report({
      driver: driverName,
      measure: 'consume with inbox',
      events: applied,
      seconds: round(seconds),
      eventsPerSecond: Math.round(applied / seconds),
      note: '3 partitions x 4 keys in parallel',
    });

    // Batch handler with the inbox: one transaction (and one inbox statement) per batch of up to 200.
    let batched = 0;
    const batches = messaging.consumer({
      group: batchGroup,
      dataSource,
      handlers: [
        onEventBatch(
          topic,
          async (items, context) => {
            await context.entityManager.query('SELECT 1');
            batched += items.length;
          },
          { maxBatchSize: 200 },
        ),
      ],
      partitionConcurrency: 3,
    });
    started = performance.now();
    await batches.start();
    await until(() => batched >= PRODUCE_COUNT);
    seconds = (performance.now() - started) / 1_000;
    await batches.stop();
    report({
      driver: driverName,
      measure: 'consume with inbox, batches of 200',
      events: batched,
      seconds: round(seconds),
      eventsPerSecond: Math.round(batched / seconds),
    });

    // Request-reply round trips, one after the other.
    const replier = messaging.consumer({
      group: replyGroup,
      maxWaitTimeMs: 50,
      handlers: [
        onEvent(TOPICS.salesOrderRequestedV1, async (request, context) => {
          context.reply(TOPICS.salesOrderRepliedV1, {
            opportunityId: request.opportunityId,
            outcome: 'REJECTED',
            created: null,
            rejected: {
              opportunityId: request.opportunityId,
              reason: 'OTHER',
              message: 'bench',
              lines: [],
              rejectedAt: new Date(),
            },
          });
        }),
      ],
    });
    await replier.start();
    const client = await messaging.requestReply({ replyTopics: [TOPICS.salesOrderRepliedV1] });
    await client.start();
    const latencies: number[] = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      const reply = await client.request(
        TOPICS.salesOrderRequestedV1,
        {
          opportunityId: `006BENCH${String(i).padStart(8, '0')}`,
          opportunityName: null,
          closedAt: new Date(),
          customer: {
            x3CustomerCode: 'C1',
            goldenId: null,
            salesforceAccountId: null,
            companyName: 'ACME',
            email: null,
            phone: null,
            billingAddress: null,
            shippingAddress: null,
            customerGroup: null,
            paymentTerms: null,
          },
          currencyCode: 'EUR',
          requestedDeliveryDate: null,
          salesSite: null,
          customerOrderReference: null,
          lines: [
            {
              lineNumber: 1,
              sourceLineId: null,
              productCode: 'P',
              description: null,
              quantity: '1',
              unitPrice: null,
              discountPercent: null,
            },
          ],
          totalAmount: { amount: '1', currencyCode: 'EUR' },
          customFields: {},
        },
        TOPICS.salesOrderRepliedV1,
        { timeoutMs: 30_000 },
      );
      if (i >= 5) latencies.push(reply.elapsedMs);
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
    report({
      driver: driverName,
      measure: 'request-reply round trip ms',
      requests: latencies.length,
      p50: at(0.5),
      p95: at(0.95),
      max: at(1),
    });
  } finally {
    const plan = await provisioner.plan(catalog);
    await messaging.close();
    const admin = driver.createAdmin();
    await admin.connect();
    await admin.deleteTopics(plan.map((t) => t.name));
    await admin.disconnect();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const dataSource = createDataSource({
  url: env('DATABASE_URL'),
  poolSize: 16,
  applicationName: 'messaging-bench',
});
await runMigrations(dataSource);
const drivers = (process.env['BENCH_DRIVERS'] ?? 'kafkajs,platformatic')
  .split(',')
  .map((d) => d.trim()) as KafkaDriverName[];
for (let r = 1; r <= RAW_ROUNDS; r += 1) for (const driver of drivers) await benchRawDriver(driver, r);
for (const driver of drivers) await bench(driver, dataSource);
await dataSource.destroy();
