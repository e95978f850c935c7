import type { InventoryLevel } from '@pardot-x3/canonical';
import type { StockPublicationPolicy } from '../publication/stock-publication-policy.js';
import { availableStock } from './available-stock.js';
import type { StockLevel } from './stock-level.types.js';

/** Quantities on the canonical topic have 4 decimals (InventoryLevel's decimal scale). */
const SCALE = 4;

/**
 * The canonical stock level (`inventory.stock-level.changed.v1`) of an X3 stock total: available
 * stock by the configured formula, and as "allocated" everything the formula subtracted, so that
 * physical − allocated = available for every reader. Quantities are rounded to 4 decimals (X3 keeps
 * stock with fewer).
 */
export function inventoryLevelOf(
  level: StockLevel,
  policy: Pick<StockPublicationPolicy, 'subtract'>,
): InventoryLevel {
  // In units of 1/10^4, so that physical − allocated = available exactly after rounding.
  const physical = units(level.physical);
  const available = units(availableStock(level, policy.subtract));
  return {
    itemRef: level.itemCode,
    site: level.site,
    physicalStock: decimalText(physical),
    allocatedStock: decimalText(physical - available),
    availableStock: decimalText(available),
    stockUnit: null,
    itemDescription: null,
    measuredAt: new Date(level.observedAt),
    sourceSequence: level.sequence ?? null,
  };
}

/** A canonical stock level as the publication decider reads it: its available stock is used as is. */
export function stockLevelOfInventoryLevel(level: InventoryLevel): StockLevel {
  const physical = Number(level.physicalStock);
  return {
    itemCode: level.itemRef,
    site: level.site,
    physical,
    allocated: Number(level.allocatedStock),
    globalAllocated: 0,
    observedAt: level.measuredAt.getTime(),
    ...(level.sourceSequence === null ? {} : { sequence: level.sourceSequence }),
    available: Number(level.availableStock),
  };
}

function units(value: number): number {
  return Math.round(value * 10 ** SCALE);
}

function decimalText(scaledUnits: number): string {
  const text = (scaledUnits / 10 ** SCALE + 0).toFixed(SCALE);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
