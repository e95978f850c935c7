import type { TopicDefinition } from '@pardot-x3/canonical';
import type { ConsumerRunnerOptions, MessagingConfig } from '@pardot-x3/messaging';
import type { Logger } from '@pardot-x3/observability';
import type { DataSource } from '@pardot-x3/persistence';
import type { Registry } from 'prom-client';

/** Per consumer group settings: concurrency, retries in place, start position. */
export type ConsumerTuning = Omit<ConsumerRunnerOptions, 'group' | 'handlers' | 'dataSource'>;

export interface MessagingModuleOptions {
  /** The service name: Kafka client id and CloudEvents source. */
  readonly service: string;
  /**
   * The service's validated configuration, as `messagingConfigFrom(service, config)` makes it (services
   * pass it: their config is validated once, at boot). Default: read from `process.env` (tools, tests).
   */
  readonly config?: MessagingConfig;
  /** Default: a JSON logger for the service. */
  readonly logger?: Logger;
  /** Default: the process registry of @pardot-x3/observability. */
  readonly metricsRegistry?: Registry;
  /** The service's data source: handlers then apply effects exactly once through `context.entityManager`. */
  readonly dataSource?: DataSource;
  /** Topics this service reads replies on (request-reply). */
  readonly replyTopics?: readonly TopicDefinition<unknown>[];
  /** Default time to wait for a reply (30 s). */
  readonly requestTimeoutMs?: number;
  /** Settings per consumer group id. */
  readonly consumers?: Readonly<Record<string, ConsumerTuning>>;
  /** Start the consumers when the application has bootstrapped (default true). */
  readonly startConsumers?: boolean;
}
