import {
  TOPIC_CATALOG,
  type ConsumerGroupDefinition,
  type TopicCatalog,
  type TopicDefinition,
} from '@pardot-x3/canonical';
import { createLogger, type Logger } from '@pardot-x3/observability';
import { stackEnv, uniqueNamespace } from '@pardot-x3/testing';
import { Registry } from 'prom-client';
import {
  KafkaJsDriver,
  Messaging,
  type KafkaDriver,
  type KafkaDriverName,
  type MessagingConfig,
} from '../../src/index.js';
import { PlatformaticKafkaDriver } from '../../src/driver/platformatic.driver.js';

/** A catalog made of some real topics and test groups, with small settings for a one-broker test cluster. */
export function testCatalog(
  topics: readonly TopicDefinition<unknown>[],
  groups: readonly ConsumerGroupDefinition[] = [],
): TopicCatalog {
  return {
    topics: topics.map((t) => ({ ...t, partitions: Math.min(t.partitions, 3) })),
    consumerGroups: groups,
    replicationFactor: 1,
    minInsyncReplicas: 1,
    derived: {
      replay: { retentionMs: TOPIC_CATALOG.derived.replay.retentionMs },
      retry: { partitions: 1, retentionMs: TOPIC_CATALOG.derived.retry.retentionMs },
      redrive: { partitions: 1, retentionMs: TOPIC_CATALOG.derived.redrive.retentionMs },
      deadLetter: { partitions: 1, retentionMs: TOPIC_CATALOG.derived.deadLetter.retentionMs },
    },
  };
}

export function testLogger(service = 'messaging-test'): Logger {
  return createLogger({
    service,
    level: (process.env['TEST_LOG_LEVEL'] as 'info' | undefined) ?? 'error',
    destination: process.stderr,
  });
}

export async function createTestDriver(
  name: KafkaDriverName,
  clientId: string,
  logger: Logger,
): Promise<KafkaDriver> {
  const options = { clientId, brokers: stackEnv().KAFKA_BROKERS.split(','), logger };
  if (name === 'kafkajs') return new KafkaJsDriver(options);
  return new PlatformaticKafkaDriver(options);
}

/**
 * The driver the integration suites run on: KAFKA_CLIENT, as for the services (default kafkajs), so that
 * `KAFKA_CLIENT=platformatic npx vitest run --project 'messaging#integration'` runs them all on another one.
 */
export function testDriverName(): KafkaDriverName {
  const name = process.env['KAFKA_CLIENT'];
  if (name === undefined || name === '') return 'kafkajs';
  if (name === 'kafkajs' || name === 'platformatic') return name;
  throw new Error(`KAFKA_CLIENT=${name} is not a Kafka driver (kafkajs, platformatic)`);
}

export interface MessagingTestEnvironment {
  readonly messaging: Messaging;
  readonly namespace: string;
  readonly catalog: TopicCatalog;
  readonly metrics: Registry;
  readonly logger: Logger;
  close(): Promise<void>;
}

/**
 * A Messaging instance in a namespace of its own, with the catalog's topics created and schemas
 * registered through the project's own provisioning code (as `topics create` and `schemas register`).
 */
export async function messagingTestEnvironment(
  label: string,
  catalog: TopicCatalog,
  options: { readonly driver?: KafkaDriverName; readonly service?: string } = {},
): Promise<MessagingTestEnvironment> {
  const env = stackEnv();
  const namespace = uniqueNamespace(label);
  const service = options.service ?? `test-${label}`;
  const logger = testLogger(service);
  const config: MessagingConfig = {
    service,
    brokers: env.KAFKA_BROKERS.split(','),
    clientId: service,
    ssl: false,
    schemaRegistry: { url: env.SCHEMA_REGISTRY_URL },
    namespace,
    driver: options.driver ?? testDriverName(),
  };
  const metrics = new Registry();
  const messaging = await Messaging.create({ config, logger, metricsRegistry: metrics });
  const provisioner = await messaging.topicProvisioner();
  await messaging.provision(catalog);
  return {
    messaging,
    namespace,
    catalog,
    metrics,
    logger,
    close: async () => {
      const plan = await provisioner.plan(catalog);
      await messaging.close().catch(() => undefined);
      // Leave the shared test broker tidy.
      const cleanup = messaging.driver.createAdmin();
      await cleanup.connect();
      await cleanup.deleteTopics(plan.map((t) => t.name)).catch(() => undefined);
      await cleanup.disconnect();
    },
  };
}

/** A test consumer group reading the given topics, with short retry delays. */
export function testGroup(
  name: string,
  topics: readonly TopicDefinition<unknown>[],
  retryDelaysMs: readonly number[] = [300, 600],
): ConsumerGroupDefinition {
  return { name, description: `test group ${name}`, topics: topics.map((t) => t.name), retryDelaysMs };
}

/** Reads a counter or gauge value from a registry, for assertions on px3_* metrics. */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  // Histogram series (_count, _sum, _bucket) live in their metric's text.
  const metric = await registry
    .getSingleMetricAsString(name.replace(/_(count|sum|bucket)$/, ''))
    .catch(() => '');
  const line = metric
    .split('\n')
    .find(
      (l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
