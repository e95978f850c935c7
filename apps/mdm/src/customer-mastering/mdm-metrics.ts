import { metricsRegistry } from '@pardot-x3/observability';
import { Counter, Gauge } from 'prom-client';

export interface MdmMetrics {
  readonly merges: Counter;
}

let metrics: MdmMetrics | undefined;

/**
 * `px3_mdm_merges_total`, and `px3_mdm_golden_records` counted by `countGoldenRecords` at every scrape
 * (one indexed count), created once per process.
 */
export function mdmMetrics(countGoldenRecords: () => Promise<number>): MdmMetrics {
  if (metrics) return metrics;
  new Gauge({
    name: 'px3_mdm_golden_records',
    help: 'Golden customer records (active)',
    registers: [metricsRegistry],
    async collect() {
      try {
        this.set(await countGoldenRecords());
      } catch {
        // The database is down: readiness says so; the gauge keeps its last value.
      }
    },
  });
  metrics = {
    merges: new Counter({
      name: 'px3_mdm_merges_total',
      help: 'Golden customer records merged into another (duplicates found)',
      registers: [metricsRegistry],
    }),
  };
  return metrics;
}
