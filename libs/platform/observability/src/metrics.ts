import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One Prometheus registry per process. Metric names follow Prometheus conventions: `px3_` prefix,
 * base units, `_total` for counters, no high-cardinality labels (never ids or emails).
 */
export const metricsRegistry = new Registry();
let defaultsCollected = false;

export function initMetrics(service: string): Registry {
  if (!defaultsCollected) {
    metricsRegistry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: metricsRegistry, prefix: 'px3_' });
    defaultsCollected = true;
  }
  return metricsRegistry;
}
