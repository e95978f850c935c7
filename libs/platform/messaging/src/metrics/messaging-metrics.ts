import { metricsRegistry } from '@pardot-x3/observability';
import { Counter, Gauge, Histogram, type Metric, type Registry } from 'prom-client';

/** Outcome label of px3_messages_consumed_total. */
export type ConsumeOutcome = 'processed' | 'duplicate' | 'retried' | 'dead_lettered' | 'invalid';

/**
 * The messaging metrics of docs/observability.md, registered once per Prometheus registry (several
 * producers and consumer runners in one process share them). Topic labels are catalog names (no
 * namespace prefix), so dashboards hold across environments.
 */
export class MessagingMetrics {
  private static readonly byRegistry = new WeakMap<Registry, MessagingMetrics>();

  readonly produced: Counter<'topic'>;
  readonly consumed: Counter<'topic' | 'group' | 'outcome'>;
  readonly handlingSeconds: Histogram<'topic' | 'group'>;
  readonly consumerLag: Gauge<'topic' | 'group' | 'partition'>;
  readonly deadLetters: Counter<'topic' | 'group' | 'error_class'>;
  readonly requestReplySeconds: Histogram<'request_topic' | 'outcome'>;

  private constructor(registry: Registry) {
    this.produced = reuse(
      registry,
      'px3_messages_produced_total',
      () =>
        new Counter({
          name: 'px3_messages_produced_total',
          help: 'Events written to Kafka.',
          labelNames: ['topic'],
          registers: [registry],
        }),
    );
    this.consumed = reuse(
      registry,
      'px3_messages_consumed_total',
      () =>
        new Counter({
          name: 'px3_messages_consumed_total',
          help: 'Events read and what became of them (processed, duplicate, retried, dead_lettered, invalid).',
          labelNames: ['topic', 'group', 'outcome'],
          registers: [registry],
        }),
    );
    this.handlingSeconds = reuse(
      registry,
      'px3_message_handling_seconds',
      () =>
        new Histogram({
          name: 'px3_message_handling_seconds',
          help: 'Handler time per event, effect included.',
          labelNames: ['topic', 'group'],
          buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
          registers: [registry],
        }),
    );
    this.consumerLag = reuse(
      registry,
      'px3_consumer_lag',
      () =>
        new Gauge({
          name: 'px3_consumer_lag',
          help: 'Offsets behind the partition end.',
          labelNames: ['topic', 'group', 'partition'],
          registers: [registry],
        }),
    );
    this.deadLetters = reuse(
      registry,
      'px3_dead_letters_total',
      () =>
        new Counter({
          name: 'px3_dead_letters_total',
          help: 'Events parked in a dead-letter topic.',
          labelNames: ['topic', 'group', 'error_class'],
          registers: [registry],
        }),
    );
    this.requestReplySeconds = reuse(
      registry,
      'px3_request_reply_seconds',
      () =>
        new Histogram({
          name: 'px3_request_reply_seconds',
          help: 'Request-reply round trips (outcome replied or timeout).',
          labelNames: ['request_topic', 'outcome'],
          buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
          registers: [registry],
        }),
    );
  }

  /** The metrics on `registry` (default: the process registry of @pardot-x3/observability). */
  static on(registry: Registry = metricsRegistry): MessagingMetrics {
    let metrics = MessagingMetrics.byRegistry.get(registry);
    if (!metrics) {
      metrics = new MessagingMetrics(registry);
      MessagingMetrics.byRegistry.set(registry, metrics);
    }
    return metrics;
  }
}

/** The metric already on the registry under that name (registered by another module), or a new one. */
function reuse<M extends Metric>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}
