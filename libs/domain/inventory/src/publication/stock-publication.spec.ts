import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { availableStock, stockKey } from '../stock/available-stock.js';
import type { StockLevel, StockPublication } from '../stock/stock-level.types.js';
import { parseStockPublicationPolicy } from './stock-publication-policy.js';
import { decideOnTick, decideStockLevel, type StockItemState } from './stock-publication.decider.js';

const policy = parseStockPublicationPolicy(
  readFileSync(new URL('../../../../../config/inventory.yaml', import.meta.url), 'utf8'),
  'config/inventory.yaml',
);
const T0 = Date.UTC(2026, 10, 20, 8);
const level = (physical: number, minutes: number, extra: Partial<StockLevel> = {}): StockLevel => ({
  itemCode: 'GEAR-12',
  site: 'FR011',
  physical,
  allocated: 0,
  globalAllocated: 0,
  observedAt: T0 + minutes * 60_000,
  ...extra,
});

/** Feeds levels one by one, as the service would, and returns what was published. */
function run(
  levels: StockLevel[],
  tickAt: number[] = [],
): { published: StockPublication[]; state: StockItemState | undefined } {
  let state: StockItemState | undefined;
  const published: StockPublication[] = [];
  const events = [
    ...levels.map((l) => ({ at: l.observedAt, level: l })),
    ...tickAt.map((at) => ({ at, level: undefined })),
  ].sort((a, b) => a.at - b.at);
  for (const event of events) {
    const decision: { state: StockItemState | undefined; publication?: StockPublication } = event.level
      ? decideStockLevel(state, event.level, policy)
      : state
        ? decideOnTick(state, event.at, policy)
        : { state };
    state = decision.state;
    if (decision.publication) published.push(decision.publication);
  }
  return { published, state };
}

describe('available stock', () => {
  it('is physical stock less allocations (PHYSTO − PHYALL − GLOALL, as configured)', () => {
    expect(availableStock(level(120, 0, { allocated: 30, globalAllocated: 12.5 }), policy.subtract)).toBe(
      77.5,
    );
    expect(availableStock(level(120, 0, { allocated: 30, globalAllocated: 12.5 }), ['PHYALL'])).toBe(90);
  });

  it('does not show floating-point noise', () => {
    expect(availableStock(level(0.3, 0, { allocated: 0.1, globalAllocated: 0.2 }))).toBe(0);
  });

  it('is keyed by item and site', () => {
    expect(stockKey(level(1, 0))).toBe('GEAR-12|FR011');
  });
});

describe('stock publication', () => {
  it('publishes the first level it sees of an item', () => {
    expect(run([level(120, 0)]).published.map((p) => [p.available, p.reason])).toEqual([
      [120, 'first-level'],
    ]);
  });

  it('does not publish a change below both thresholds at once, but within the maximum staleness', () => {
    const { published } = run([level(120, 0), level(118, 1)], [T0 + 10 * 60_000, T0 + 16 * 60_000]);
    expect(published.map((p) => [p.available, p.reason, (p.observedAt - T0) / 60_000])).toEqual([
      [120, 'first-level', 0],
      [118, 'max-staleness', 1],
    ]);
  });

  it('publishes a change past the threshold at once when the item has been quiet', () => {
    expect(run([level(120, 0), level(100, 5)]).published.map((p) => p.reason)).toEqual([
      'first-level',
      'threshold',
    ]);
  });

  it('holds a threshold change that comes too soon and publishes the newest level when the window ends', () => {
    const { published } = run([level(120, 0), level(100, 0.25), level(90, 0.5)], [T0 + 60_000]);
    expect(published.map((p) => [p.available, p.reason])).toEqual([
      [120, 'first-level'],
      [90, 'debounced-threshold'],
    ]);
  });

  it('always publishes reaching zero and coming back, however soon', () => {
    const { published } = run([level(3, 0), level(0, 0.1, { allocated: 0 }), level(2, 0.2)]);
    expect(published.map((p) => [p.available, p.reason])).toEqual([
      [3, 'first-level'],
      [0, 'out-of-stock'],
      [2, 'back-in-stock'],
    ]);
  });

  it('treats allocations that exceed stock as out of stock', () => {
    expect(
      run([level(12, 0), level(12, 0.1, { allocated: 15 })]).published.map((p) => [p.available, p.reason]),
    ).toEqual([
      [12, 'first-level'],
      [-3, 'out-of-stock'],
    ]);
  });

  it('always publishes crossing the low-stock mark, with per-item marks', () => {
    expect(run([level(11, 0), level(9, 0.1)]).published.map((p) => p.reason)).toEqual([
      'first-level',
      'below-low-stock',
    ]);
    expect(
      run([level(30, 0, { itemCode: 'BMS-400' }), level(24, 0.1, { itemCode: 'BMS-400' })]).published.map(
        (p) => p.reason,
      ),
    ).toEqual(['first-level', 'below-low-stock']);
  });

  it('ignores a level older than one already seen (out-of-order delivery)', () => {
    const first = decideStockLevel(undefined, level(120, 5), policy);
    const late = decideStockLevel(first.state, level(0, 1), policy);
    expect(late.publication).toBeUndefined();
    expect(late.state).toBe(first.state);
  });

  it('orders two levels of the same second by their change counter (UPDTICK)', () => {
    const final = decideStockLevel(undefined, level(120, 5, { sequence: 42 }), policy);
    const older = decideStockLevel(final.state, level(0, 5, { sequence: 41 }), policy);
    expect(older.publication).toBeUndefined();
    expect(older.state).toBe(final.state);
    const newer = decideStockLevel(final.state, level(0, 5, { sequence: 43 }), policy);
    expect(newer.publication?.reason).toBe('out-of-stock');
    // Without a counter on both sides, the later-delivered level of the same second is applied.
    expect(decideStockLevel(final.state, level(0, 5), policy).publication?.reason).toBe('out-of-stock');
  });

  it('forgets a pending change that went back to the published level', () => {
    const { published } = run([level(120, 0), level(118, 1), level(120, 2)], [T0 + 30 * 60_000]);
    expect(published).toHaveLength(1);
  });

  it('10,000 movements over 100 items end with every final level published, in far fewer publications', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_664_525 + 1_013_904_223) % 4_294_967_296;
      return seed / 4_294_967_296;
    };
    const items = Array.from({ length: 100 }, (_, i) => ({
      itemCode: `ITM-${String(i).padStart(3, '0')}`,
      stock: 50 + Math.floor(random() * 200),
    }));
    const states = new Map<string, StockItemState>();
    const finalLevels = new Map<string, number>();
    const publications: StockPublication[] = [];
    const zeroCrossings: { key: string; at: number }[] = [];
    const apply = (
      decision: { state: StockItemState; publication?: StockPublication },
      key: string,
    ): void => {
      states.set(key, decision.state);
      if (decision.publication) publications.push(decision.publication);
    };
    let now = T0;
    for (let movement = 0; movement < 10_000; movement += 1) {
      now += 1_000;
      const item = items[Math.floor(random() * items.length)] as { itemCode: string; stock: number };
      item.stock = Math.max(0, item.stock + Math.round((random() - 0.55) * 8));
      const stockLevel: StockLevel = {
        itemCode: item.itemCode,
        site: 'FR011',
        physical: item.stock,
        allocated: 0,
        globalAllocated: 0,
        observedAt: now,
      };
      const key = stockKey(stockLevel);
      const before = states.get(key)?.published?.available;
      apply(decideStockLevel(states.get(key), stockLevel, policy), key);
      if (before !== undefined && before > 0 !== item.stock > 0) zeroCrossings.push({ key, at: now });
      finalLevels.set(key, item.stock);
      if (movement % 30 === 0) for (const [k, state] of states) apply(decideOnTick(state, now, policy), k);
    }
    for (const [k, state] of states) apply(decideOnTick(state, now + policy.maxStalenessMs, policy), k);

    const lastPublished = new Map(publications.map((p) => [stockKey(p), p.available]));
    expect(lastPublished).toEqual(finalLevels);
    expect(publications.length).toBeLessThan(2_500);
    for (const crossing of zeroCrossings) {
      expect(publications.some((p) => stockKey(p) === crossing.key && p.observedAt === crossing.at)).toBe(
        true,
      );
    }
    console.log(
      `10,000 movements over 100 items → ${publications.length} publications (${zeroCrossings.length} zero crossings)`,
    );
  });
});

describe('parseStockPublicationPolicy', () => {
  it('reads the shipped policy with its durations', () => {
    expect(policy).toMatchObject({
      subtract: ['PHYALL', 'GLOALL'],
      minIntervalMs: 60_000,
      maxStalenessMs: 900_000,
      overrides: { 'BMS-400': { lowStockMark: 25 } },
    });
  });

  it('points at a malformed duration and a relative threshold above 100 %', () => {
    const text =
      'version: 1\navailable: { subtract: [PHYALL] }\npublication:\n  absoluteThreshold: 5\n  relativeThreshold: 10\n  lowStockMark: 10\n  minInterval: 1 minute\n  maxStaleness: 15m\n';
    expect(() => parseStockPublicationPolicy(text, 'inventory.yaml')).toThrow(
      /inventory\.yaml:5:22: publication\.relativeThreshold: .*\n.*inventory\.yaml:7:16: publication\.minInterval: must be a duration such as 500ms, 30s, 15m or 1h/,
    );
  });
});
