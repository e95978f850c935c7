import { metricsRegistry } from '@pardot-x3/observability';
import { Counter, Gauge } from 'prom-client';

/**
 * The source metrics of docs/observability.md, created once per process: what the source tasks
 * (salesforce-ingest, x3-ingest) read from their systems, the echoes they drop and how far behind they are.
 */
export interface SourceMetrics {
  /** Changes read from a source system and published (`via` = webhook, poll, cdc, backfill). */
  readonly events: Counter<'system' | 'entity' | 'via'>;
  /** Our own writes seen again and dropped (loop prevention). */
  readonly echoesDropped: Counter<'system' | 'entity'>;
  /**
   * Records that a poller has read every change of `entity` up to `readUpTo` (the start of its last
   * successful poll): `px3_source_watermark_lag_seconds` is now minus that instant at scrape time, so
   * it grows while a poller is stalled and stays near the interval while it keeps up, even when the
   * source has no changes.
   */
  readUpTo(system: string, entity: string, readUpTo: Date): void;
}

let metrics: SourceMetrics | undefined;
const horizons = new Map<string, { system: string; entity: string; at: number }>();

export function sourceMetrics(): SourceMetrics {
  if (metrics) return metrics;
  metrics = {
    events: new Counter({
      name: 'px3_source_events_total',
      help: 'Changes read from a source system and published as source events',
      labelNames: ['system', 'entity', 'via'] as const,
      registers: [metricsRegistry],
    }),
    echoesDropped: new Counter({
      name: 'px3_source_echoes_dropped_total',
      help: "pardot-x3's own writes seen again at a source and dropped (loop prevention)",
      labelNames: ['system', 'entity'] as const,
      registers: [metricsRegistry],
    }),
    readUpTo(system, entity, readUpTo) {
      horizons.set(`${system}|${entity}`, { system, entity, at: readUpTo.getTime() });
    },
  };
  new Gauge({
    name: 'px3_source_watermark_lag_seconds',
    help: 'How far behind its source a poller is: now minus the instant up to which every change has been read',
    labelNames: ['system', 'entity'] as const,
    registers: [metricsRegistry],
    collect() {
      const now = Date.now();
      for (const { system, entity, at } of horizons.values())
        this.set({ system, entity }, Math.max(0, (now - at) / 1_000));
    },
  });
  return metrics;
}
