import { parseYamlConfig } from '@pardot-x3/mapping';
import { z } from 'zod';
import type { AllocationColumn } from '../stock/available-stock.js';

export interface StockThresholds {
  /** A change of at least this many units since the last publication is worth publishing. */
  readonly absoluteThreshold: number;
  /** … or of at least this share of the last published level (0.1 = 10 %). */
  readonly relativeThreshold: number;
  /** Crossing this level, either way, publishes at once (so is reaching zero). */
  readonly lowStockMark: number;
}

export interface StockPublicationPolicy extends StockThresholds {
  readonly version: number;
  readonly subtract: readonly AllocationColumn[];
  /** Threshold changes of one item and site are published at most once in this window (ms). */
  readonly minIntervalMs: number;
  /** Any change reaches subscribers within this time (ms), however small. */
  readonly maxStalenessMs: number;
  /** Per item code. */
  readonly overrides: Readonly<Record<string, Partial<StockThresholds>>>;
}

const duration = z.union([
  z.number().int().min(0),
  z.string().regex(/^\d+(ms|s|m|h)$/, 'must be a duration such as 500ms, 30s, 15m or 1h'),
]);
const thresholds = {
  absoluteThreshold: z.number().min(0),
  relativeThreshold: z.number().min(0).max(1),
  lowStockMark: z.number().min(0),
};
const schema = z.strictObject({
  version: z.number().int().min(1),
  available: z.strictObject({ subtract: z.array(z.enum(['PHYALL', 'GLOALL'])) }),
  publication: z.strictObject({
    ...thresholds,
    minInterval: duration,
    maxStaleness: duration,
    overrides: z
      .record(
        z.string(),
        z.strictObject({
          absoluteThreshold: thresholds.absoluteThreshold.optional(),
          relativeThreshold: thresholds.relativeThreshold.optional(),
          lowStockMark: thresholds.lowStockMark.optional(),
        }),
      )
      .optional(),
  }),
});

function toMs(value: number | string): number {
  if (typeof value === 'number') return value;
  const [, amount = '0', unit = 'ms'] = /^(\d+)(ms|s|m|h)$/.exec(value) ?? [];
  return Number(amount) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
}

/** Reads config/inventory.yaml (docs/mapping.md §Inventory); errors point at the line. */
export function parseStockPublicationPolicy(text: string, fileName: string): StockPublicationPolicy {
  const raw = parseYamlConfig(text, fileName, schema, (policy, report) => {
    if (toMs(policy.publication.maxStaleness) < toMs(policy.publication.minInterval))
      report(['publication', 'maxStaleness'], 'must be at least minInterval');
  });
  const { publication } = raw;
  return {
    version: raw.version,
    subtract: raw.available.subtract,
    absoluteThreshold: publication.absoluteThreshold,
    relativeThreshold: publication.relativeThreshold,
    lowStockMark: publication.lowStockMark,
    minIntervalMs: toMs(publication.minInterval),
    maxStalenessMs: toMs(publication.maxStaleness),
    overrides: publication.overrides ?? {},
  };
}

export function thresholdsFor(policy: StockPublicationPolicy, itemCode: string): StockThresholds {
  return {
    absoluteThreshold: policy.absoluteThreshold,
    relativeThreshold: policy.relativeThreshold,
    lowStockMark: policy.lowStockMark,
    ...policy.overrides[itemCode],
  };
}
