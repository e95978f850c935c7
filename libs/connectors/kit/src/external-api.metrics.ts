import { metricsRegistry } from '@pardot-x3/observability';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ExternalSystem } from './external-api.error.js';

/** The external-API metrics of `docs/observability.md`, registered once per registry. */
export interface ExternalApiMetrics {
  readonly requests: Counter<'system' | 'operation' | 'status'>;
  readonly requestSeconds: Histogram<'system' | 'operation'>;
  readonly budgetRemaining: Gauge<'system' | 'scope'>;
  readonly limitHits: Counter<'system' | 'kind'>;
}

const byRegistry = new WeakMap<Registry, ExternalApiMetrics>();

/** Connectors in one process share these metric objects (registering a name twice would throw). */
export function externalApiMetrics(registry: Registry = metricsRegistry): ExternalApiMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const metrics: ExternalApiMetrics = {
    requests: new Counter({
      name: 'px3_external_api_requests_total',
      help: 'Calls to Salesforce, Pardot and Sage X3 (status = HTTP status or network_error)',
      labelNames: ['system', 'operation', 'status'],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'px3_external_api_request_seconds',
      help: 'Latency of calls to Salesforce, Pardot and Sage X3',
      labelNames: ['system', 'operation'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    budgetRemaining: new Gauge({
      name: 'px3_external_api_budget_remaining',
      help: 'Daily API calls left (per org / business unit)',
      labelNames: ['system', 'scope'],
      registers: [registry],
    }),
    limitHits: new Counter({
      name: 'px3_external_api_limit_hits_total',
      help: 'Limit errors received or limits reached (kind = daily, concurrency, rate)',
      labelNames: ['system', 'kind'],
      registers: [registry],
    }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}

/** Observes one HTTP exchange: its outcome (`status` or `network_error`) and its duration. */
export function observeExternalCall(
  metrics: ExternalApiMetrics,
  system: ExternalSystem,
  operation: string,
  startedAt: bigint,
  status: number | 'network_error',
): void {
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  metrics.requests.inc({ system, operation, status: String(status) });
  metrics.requestSeconds.observe({ system, operation }, seconds);
}
