import { metricsRegistry } from '@pardot-x3/observability';
import { Counter, Gauge } from 'prom-client';

/** The `px3_background_loop_*` metrics of docs/observability.md (label `loop`), created once per process. */
export interface BackgroundLoopMetrics {
  /** Runs finished, failed ones included. */
  readonly runs: Counter<'loop'>;
  /** Runs that threw. */
  readonly failures: Counter<'loop'>;
  /** Unix time in seconds of the last run that succeeded. */
  readonly lastSuccess: Gauge<'loop'>;
}

let metrics: BackgroundLoopMetrics | undefined;

export function backgroundLoopMetrics(): BackgroundLoopMetrics {
  metrics ??= {
    runs: new Counter({
      name: 'px3_background_loop_runs_total',
      help: 'Runs of a background loop (pollers, flushers, senders, ticks), failed ones included',
      labelNames: ['loop'] as const,
      registers: [metricsRegistry],
    }),
    failures: new Counter({
      name: 'px3_background_loop_failures_total',
      help: 'Runs of a background loop that failed (the loop backs off and tries again)',
      labelNames: ['loop'] as const,
      registers: [metricsRegistry],
    }),
    lastSuccess: new Gauge({
      name: 'px3_background_loop_last_success_timestamp_seconds',
      help: 'When a background loop last finished a run without failing (Unix time, seconds)',
      labelNames: ['loop'] as const,
      registers: [metricsRegistry],
    }),
  };
  return metrics;
}
