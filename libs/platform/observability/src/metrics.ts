import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One Prometheus registry per process. Metric names follow Prometheus conventions: `px3_` prefix,
 * base units, `_total` for counters, no high-cardinality labels (never ids or emails); the names are
 * listed in docs/observability.md.
 */
export const metricsRegistry = new Registry();
let defaultsCollected = false;

export interface InitMetricsOptions {
  /** Reported as the `version` label of `px3_build_info`. */
  readonly version?: string;
}

/**
 * Labels every metric of this process with `service`, exports the default Node.js process metrics
 * with the `px3_` prefix and sets `px3_build_info{service,version} 1`. Only the first call counts.
 */
export function initMetrics(service: string, options: InitMetricsOptions = {}): Registry {
  if (!defaultsCollected) {
    metricsRegistry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: metricsRegistry, prefix: 'px3_' });
    const buildInfo = new Gauge({
      name: 'px3_build_info',
      help: 'What runs: always 1, labelled with the service and its version',
      labelNames: ['version'] as const,
      registers: [metricsRegistry],
    });
    buildInfo.set({ version: options.version ?? 'unknown' }, 1);
    defaultsCollected = true;
  }
  return metricsRegistry;
}

/** Inbound HTTP metrics: `route` is the route pattern (e.g. `/webhooks/:source`), never the raw URL. */
export interface HttpServerMetrics {
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly duration: Histogram<'route' | 'method'>;
}

let httpMetrics: HttpServerMetrics | undefined;

/** `px3_http_requests_total` and `px3_http_request_seconds`, created once per process. */
export function httpServerMetrics(): HttpServerMetrics {
  httpMetrics ??= {
    requests: new Counter({
      name: 'px3_http_requests_total',
      help: 'Inbound HTTP requests by route pattern, method and status code',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [metricsRegistry],
    }),
    duration: new Histogram({
      name: 'px3_http_request_seconds',
      help: 'Inbound HTTP request latency by route pattern and method',
      labelNames: ['route', 'method'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [metricsRegistry],
    }),
  };
  return httpMetrics;
}
