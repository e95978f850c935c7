import { metricsRegistry } from '@pardot-x3/observability';
import { Counter } from 'prom-client';

export interface StockMetrics {
  /** Levels a subscriber decided to publish, by reason. */
  readonly publications: Counter<'subscriber' | 'reason'>;
  /** Deliveries to a target: `delivered`, `failed` (retried later), `refused` (the target refused the record). */
  readonly deliveries: Counter<'subscriber' | 'outcome'>;
}

let metrics: StockMetrics | undefined;

/** `px3_stock_publications_total` and `px3_stock_deliveries_total`, created once per process. */
export function stockMetrics(): StockMetrics {
  metrics ??= {
    publications: new Counter({
      name: 'px3_stock_publications_total',
      help: 'Stock levels a subscriber decided to publish (debounced and thresholded), by reason',
      labelNames: ['subscriber', 'reason'] as const,
      registers: [metricsRegistry],
    }),
    deliveries: new Counter({
      name: 'px3_stock_deliveries_total',
      help: 'Stock levels delivered to a subscriber target, by outcome (delivered, failed and retried, refused)',
      labelNames: ['subscriber', 'outcome'] as const,
      registers: [metricsRegistry],
    }),
  };
  return metrics;
}
