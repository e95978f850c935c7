import {
  TOPIC_CATALOG,
  type ConsumerGroupDefinition,
  type TopicCatalog,
  type TopicDefinition,
} from '@pardot-x3/canonical';
import {
  loadMessagingConfig,
  Messaging,
  onEvent,
  type ConsumerRunner,
  type EventMetadata,
  type SendOptions,
  type SentEvent,
} from '@pardot-x3/messaging';
import { createLogger } from '@pardot-x3/observability';
import { Registry } from 'prom-client';
import { stackEnv, testAccess, uniqueNamespace, waitFor } from '@pardot-x3/testing';

/** An event read back from a topic by {@link TestMessaging.collect}. */
export interface CollectedEvent<V> {
  readonly value: V;
  readonly key: string | null;
  readonly metadata: EventMetadata;
  readonly headers: Readonly<Record<string, string>>;
}

export interface TestMessagingOptions {
  /** Names the namespace (`<label>-<random>.`). */
  readonly label: string;
  /** Catalog topics to create (their `.replay` topics too). */
  readonly topics: readonly TopicDefinition<unknown>[];
  /** Catalog consumer groups whose retry, redrive and dead-letter topics to create (the services' groups). */
  readonly groups?: readonly ConsumerGroupDefinition[];
  /** Topics the test reads back (each through a group of its own, from the beginning). */
  readonly collect?: readonly TopicDefinition<unknown>[];
  /** The service the test's producer speaks as (ce_source), default `test`. */
  readonly service?: string;
}

/**
 * Kafka and the schema registry for one test file, isolated in a namespace of their own: the topics and
 * groups it names are created (one broker: ≤ 3 partitions, replication 1) and their schemas registered,
 * like `./pardot-x3 topics create` and `schemas register` do; events can be produced as a service would,
 * and topics read back. Pass {@link env} to the services under test.
 */
export class TestMessaging {
  private readonly collected = new Map<string, CollectedEvent<unknown>[]>();
  private readonly collectors: ConsumerRunner[] = [];

  private constructor(
    readonly namespace: string,
    readonly messaging: Messaging,
  ) {}

  static async start(options: TestMessagingOptions): Promise<TestMessaging> {
    const namespace = uniqueNamespace(options.label);
    const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL } = stackEnv();
    const config = loadMessagingConfig(options.service ?? 'test', {
      KAFKA_BROKERS,
      SCHEMA_REGISTRY_URL,
      PX3_TOPIC_NAMESPACE: namespace,
    });
    const logger = createLogger({
      service: options.service ?? 'test',
      level: (process.env['TEST_LOG_LEVEL'] as 'info' | undefined) ?? 'error',
      destination: process.stderr,
    });
    const messaging = await Messaging.create({ config, logger, metricsRegistry: new Registry() });
    const collectGroups = (options.collect ?? []).map((topic) => collectorGroup(topic));
    const topics = unique([...options.topics, ...(options.collect ?? [])]);
    await messaging.provision(testCatalog(topics, [...(options.groups ?? []), ...collectGroups]));
    const test = new TestMessaging(namespace, messaging);
    for (const [i, topic] of (options.collect ?? []).entries()) {
      const group = collectGroups[i];
      if (!group) continue;
      const events: CollectedEvent<unknown>[] = [];
      test.collected.set(topic.name, events);
      const runner = messaging.consumer({
        group,
        readReplays: false,
        partitionConcurrency: topic.partitions,
        handlers: [
          onEvent(
            topic,
            async (value, context) => {
              events.push({ value, key: context.key, metadata: context.metadata, headers: context.headers });
            },
            {
              onTombstone: async (key, context) => {
                events.push({ value: null, key, metadata: context.metadata, headers: context.headers });
              },
            },
          ),
        ],
      });
      test.collectors.push(runner);
      await runner.start();
    }
    return test;
  }

  /** Environment for a service under test: the stack and this test's namespace. */
  env(): Record<string, string> {
    const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL } = stackEnv();
    return { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, PX3_TOPIC_NAMESPACE: this.namespace };
  }

  /**
   * Environment for a service run inside the test's own process (`createServiceApp`): the test's
   * environment and {@link env}, HTTP on 127.0.0.1:`port`, logs at TEST_LOG_LEVEL (default warn), the
   * test credentials (`testAccess()`: send `testAccess().headers()` to protected routes), then the
   * service's own settings.
   */
  serviceEnv(port: number, settings: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...this.env(),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
      ...testAccess().env,
      ...settings,
    };
  }

  send<V>(topic: TopicDefinition<V>, value: V, options?: SendOptions): Promise<SentEvent> {
    return this.messaging.producer.send(topic, value, options);
  }

  /** Events read back from a collected topic so far, oldest first (tombstones have a null value). */
  events<V>(topic: TopicDefinition<V>): readonly CollectedEvent<V>[] {
    const events = this.collected.get(topic.name);
    if (!events)
      throw new Error(`${topic.name} is not collected: list it in TestMessaging.start({ collect })`);
    return events as CollectedEvent<V>[];
  }

  /** Waits until the collected events of a topic satisfy `until`, and returns them. */
  async waitForEvents<V>(
    topic: TopicDefinition<V>,
    until: (events: readonly CollectedEvent<V>[]) => boolean,
    options: { readonly timeoutMs?: number; readonly description?: string } = {},
  ): Promise<readonly CollectedEvent<V>[]> {
    return waitFor(() => (until(this.events(topic)) ? this.events(topic) : undefined), {
      timeoutMs: options.timeoutMs ?? 60_000,
      description: options.description ?? `events on ${topic.name}`,
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.collectors.map((c) => c.stop()));
    await this.messaging.close();
  }
}

function collectorGroup(topic: TopicDefinition<unknown>): ConsumerGroupDefinition {
  return {
    name: `test.collect-${topic.name.replace(/[^a-z0-9]+/g, '-')}`,
    description: `reads ${topic.name} back for the test`,
    topics: [topic.name],
    retryDelaysMs: [],
  };
}

/** The catalog of a test: real topic definitions, sized for a one-broker cluster. */
function testCatalog(
  topics: readonly TopicDefinition<unknown>[],
  groups: readonly ConsumerGroupDefinition[],
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

function unique(topics: readonly TopicDefinition<unknown>[]): TopicDefinition<unknown>[] {
  return [...new Map(topics.map((t) => [t.name, t])).values()];
}
