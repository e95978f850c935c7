import { TOPIC_CATALOG, type TopicCatalog } from '@pardot-x3/canonical';
import type { Logger } from '@pardot-x3/observability';
import type { Registry } from 'prom-client';
import { SchemaPublisher, type SubjectResult } from './catalog/schema-publisher.js';
import { TopicProvisioner, type DriftReport } from './catalog/topic-provisioner.js';
import { FailureRouter } from './consumer/failure-router.js';
import { parkDeferredEffect, type DeferredFailure, type ParkableMessage } from './consumer/parked-effect.js';
import { ConsumerRunner, type ConsumerRunnerOptions } from './consumer/consumer-runner.js';
import { createKafkaDriver } from './driver/kafka-driver.factory.js';
import type { DriverAdmin, KafkaDriver } from './driver/kafka-driver.types.js';
import { TopicMetadataCache } from './driver/topic-metadata.cache.js';
import {
  probe,
  type DependencyHealth,
  type MessagingHealth,
  type ReadinessProbe,
} from './health/messaging-health.js';
import type { MessagingConfig } from './messaging.config.js';
import { MessagingMetrics } from './metrics/messaging-metrics.js';
import { TopicNamespace } from './naming/topic-namespace.js';
import { ConsumerGroupResetter } from './operations/consumer-group-resetter.js';
import { DeadLetterInspector } from './operations/dead-letter-inspector.js';
import { DeadLetterRedriver } from './operations/dead-letter-redriver.js';
import { TopicRangeReader } from './operations/topic-range-reader.js';
import { TopicReplayer } from './operations/topic-replayer.js';
import { EventProducer } from './producer/event-producer.js';
import { RequestReplyClient, type RequestReplyOptions } from './request-reply/request-reply-client.js';
import { AvroSerde } from './serde/avro-serde.js';
import { SchemaRegistryClient } from './serde/schema-registry-client.js';

export interface MessagingOptions {
  readonly config: MessagingConfig;
  readonly logger: Logger;
  /** Prometheus registry for the px3_* messaging metrics (default: @pardot-x3/observability's). */
  readonly metricsRegistry?: Registry;
  /** A driver to use instead of the one KAFKA_CLIENT names (tests run the contract suite this way). */
  readonly driver?: KafkaDriver;
  /** Time each health probe may take (default 2000 ms). */
  readonly healthTimeoutMs?: number;
}

/**
 * The messaging layer of one process: one Kafka driver, one schema registry client, one idempotent
 * producer, the consumer runners and request-reply clients created from it, and the operations the
 * CLI uses. Framework-agnostic; `@pardot-x3/messaging-nest` wraps it for NestJS services.
 */
export class Messaging {
  readonly namespace: TopicNamespace;
  readonly registry: SchemaRegistryClient;
  readonly serde: AvroSerde;
  readonly producer: EventProducer;
  readonly metrics: MessagingMetrics;
  private readonly topics: TopicMetadataCache;
  private readonly runners: ConsumerRunner[] = [];
  private readonly requestReplyClients: RequestReplyClient[] = [];
  private opsAdmin?: Promise<DriverAdmin>;
  private healthAdmin?: Promise<DriverAdmin>;

  private constructor(
    readonly config: MessagingConfig,
    readonly driver: KafkaDriver,
    private readonly logger: Logger,
    metricsRegistry: Registry | undefined,
    private readonly healthTimeoutMs: number,
  ) {
    this.namespace = new TopicNamespace(config.namespace);
    this.registry = new SchemaRegistryClient(config.schemaRegistry);
    this.serde = new AvroSerde(this.registry);
    this.metrics = MessagingMetrics.on(metricsRegistry);
    this.topics = new TopicMetadataCache(driver.createAdmin());
    this.producer = new EventProducer({
      driver,
      serde: this.serde,
      topics: this.topics,
      namespace: this.namespace,
      service: config.service,
      logger,
      metrics: this.metrics,
    });
  }

  /** Builds the layer for a configuration (loading the driver KAFKA_CLIENT names). Connects lazily. */
  static async create(options: MessagingOptions): Promise<Messaging> {
    const { config } = options;
    const driver =
      options.driver ??
      (await createKafkaDriver(config.driver, {
        clientId: config.clientId,
        brokers: config.brokers,
        ssl: config.ssl,
        sslCa: config.sslCa,
        sasl: config.sasl,
        logger: options.logger,
      }));
    return new Messaging(
      config,
      driver,
      options.logger,
      options.metricsRegistry,
      options.healthTimeoutMs ?? 2_000,
    );
  }

  /**
   * Creates the catalog's missing topics and registers its schemas, as `topics create` and
   * `schemas register` do: one call for the test harness, the demo and deployment jobs. Throws when a
   * schema is incompatible with what the registry already has.
   */
  async provision(
    catalog: TopicCatalog = TOPIC_CATALOG,
  ): Promise<{ readonly topics: DriftReport; readonly schemas: readonly SubjectResult[] }> {
    const { report } = await (await this.topicProvisioner()).create(catalog);
    const schemas = await this.schemaPublisher().register(catalog);
    const refused = schemas.filter((s) => s.status === 'incompatible');
    if (refused.length > 0) {
      throw new Error(
        `The registry refused ${refused.length} schema(s) as incompatible: ${refused.map((r) => `${r.subject} (${r.detail ?? 'incompatible'})`).join('; ')}`,
      );
    }
    return { topics: report, schemas };
  }

  /** A consumer runner for one catalog consumer group (not started). */
  consumer(options: ConsumerRunnerOptions): ConsumerRunner {
    const runner = new ConsumerRunner(
      { stateDir: this.config.stateDir, ...options },
      {
        driver: this.driver,
        serde: this.serde,
        producer: this.producer,
        topics: this.topics,
        namespace: this.namespace,
        logger: this.logger.child({ group: this.namespace.group(options.group.name) }),
        metrics: this.metrics,
      },
    );
    this.runners.push(runner);
    return runner;
  }

  /** A request-reply client reading the given reply topics (started on first request). */
  async requestReply(
    options: Omit<RequestReplyOptions, 'service'> & { readonly service?: string },
  ): Promise<RequestReplyClient> {
    const client = new RequestReplyClient(
      { ...options, service: options.service ?? this.config.service },
      {
        driver: this.driver,
        admin: await this.admin(),
        serde: this.serde,
        producer: this.producer,
        namespace: this.namespace,
        logger: this.logger,
        metrics: this.metrics,
      },
    );
    this.requestReplyClients.push(client);
    return client;
  }

  /** A connected admin client shared by the operations below. */
  admin(): Promise<DriverAdmin> {
    this.opsAdmin ??= connectAdmin(this.driver).catch((error: unknown) => {
      this.opsAdmin = undefined;
      throw error;
    });
    return this.opsAdmin;
  }

  async topicProvisioner(): Promise<TopicProvisioner> {
    return new TopicProvisioner(await this.admin(), this.namespace);
  }

  schemaPublisher(): SchemaPublisher {
    return new SchemaPublisher(this.registry, this.namespace);
  }

  /**
   * Parks the event of a deferred effect (a queued write) that failed for good on `<group>.dlq`, with the
   * target's error: counted in px3_dead_letters_total like any dead letter, re-drivable after a fix.
   */
  async parkDeferredEffect(group: string, parked: ParkableMessage, failure: DeferredFailure): Promise<void> {
    const router = new FailureRouter(
      { name: group, retryDelaysMs: [] },
      {
        serde: this.serde,
        producer: this.producer,
        namespace: this.namespace,
        logger: this.logger.child({ group: this.namespace.group(group) }),
        metrics: this.metrics,
      },
    );
    await parkDeferredEffect(router, parked, failure);
  }

  async deadLetterInspector(): Promise<DeadLetterInspector> {
    return new DeadLetterInspector(await this.admin(), this.rangeReader(), this.serde, this.namespace);
  }

  deadLetterRedriver(): DeadLetterRedriver {
    return new DeadLetterRedriver(this.producer, this.namespace);
  }

  async topicReplayer(): Promise<TopicReplayer> {
    return new TopicReplayer(await this.admin(), this.rangeReader(), this.producer, this.namespace);
  }

  async consumerGroupResetter(): Promise<ConsumerGroupResetter> {
    return new ConsumerGroupResetter(await this.admin(), this.namespace);
  }

  rangeReader(): TopicRangeReader {
    return new TopicRangeReader(this.driver, this.namespace);
  }

  /** Is Kafka reachable, does the registry answer, are the consumers running? Cheap enough for every probe. */
  async health(): Promise<MessagingHealth> {
    const [kafka, schemaRegistry] = await Promise.all([this.kafkaHealth(), this.registryHealth()]);
    const consumers = this.consumerHealth();
    return {
      healthy: kafka.healthy && schemaRegistry.healthy && consumers.every((c) => c.healthy),
      kafka,
      schemaRegistry,
      consumers,
    };
  }

  /** The same, as readiness checks of the service runtime (`kafka`, `schema-registry`, `consumers`). */
  readinessChecks(): ReadinessProbe[] {
    const require = (health: DependencyHealth) => {
      if (!health.healthy) throw new Error(health.detail ?? 'unhealthy');
    };
    return [
      { name: 'kafka', check: async () => require(await this.kafkaHealth()) },
      { name: 'schema-registry', check: async () => require(await this.registryHealth()) },
      {
        name: 'consumers',
        check: async () => {
          const failing = this.consumerHealth().filter((c) => !c.healthy);
          if (failing.length > 0)
            throw new Error(failing.map((c) => `${c.group}: ${c.detail ?? c.state}`).join('; '));
        },
      },
    ];
  }

  private kafkaHealth(): Promise<DependencyHealth> {
    return probe(
      async () => {
        const cluster = await (await this.healthProbeAdmin()).describeCluster();
        if (cluster.brokers === 0) throw new Error('the cluster reports no brokers');
      },
      this.healthTimeoutMs,
      (error) => {
        // Reconnect from scratch on the next probe.
        this.healthAdmin = undefined;
        return `Kafka at ${this.config.brokers.join(',')} is not reachable: ${error.message}`;
      },
    );
  }

  private registryHealth(): Promise<DependencyHealth> {
    return probe(
      () => this.registry.ping(),
      this.healthTimeoutMs,
      (error) => `schema registry at ${this.registry.url}: ${error.message}`,
    );
  }

  private consumerHealth(): MessagingHealth['consumers'] {
    return this.runners.map((r) => ({ group: r.groupId, ...r.health() }));
  }

  /** Stops every consumer and request-reply client, then the producer and admin connections. */
  async close(): Promise<void> {
    await Promise.allSettled(this.runners.map((r) => r.stop()));
    await Promise.allSettled(this.requestReplyClients.map((c) => c.stop()));
    await this.producer.disconnect();
    await this.topics.close();
    for (const admin of [this.opsAdmin, this.healthAdmin]) {
      if (admin) await admin.then((a) => a.disconnect()).catch(() => undefined);
    }
    this.opsAdmin = undefined;
    this.healthAdmin = undefined;
  }

  private healthProbeAdmin(): Promise<DriverAdmin> {
    this.healthAdmin ??= connectAdmin(this.driver).catch((error: unknown) => {
      this.healthAdmin = undefined;
      throw error;
    });
    return this.healthAdmin;
  }
}

async function connectAdmin(driver: KafkaDriver): Promise<DriverAdmin> {
  const admin = driver.createAdmin();
  await admin.connect();
  return admin;
}
