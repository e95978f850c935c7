import type { StockLevel } from './stock-level.types.js';

/** The allocation columns that can be subtracted from physical stock. */
export type AllocationColumn = 'PHYALL' | 'GLOALL';

const DECIMALS = 1e6;

/**
 * Available stock = PHYSTO − the configured allocations (default PHYALL and GLOALL). apis.md marks this
 * formula unconfirmed; it is configuration (config/inventory.yaml) so an installation can correct it.
 * Rounded to 6 decimals, so 0.3 − 0.1 − 0.2 is 0, not −2.8e−17. A level that carries its available
 * stock (computed upstream) keeps it.
 */
export function availableStock(
  level: StockLevel,
  subtract: readonly AllocationColumn[] = ['PHYALL', 'GLOALL'],
): number {
  if (level.available !== undefined) return Math.round(level.available * DECIMALS) / DECIMALS + 0;
  let available = level.physical;
  if (subtract.includes('PHYALL')) available -= level.allocated;
  if (subtract.includes('GLOALL')) available -= level.globalAllocated;
  return Math.round(available * DECIMALS) / DECIMALS + 0;
}

/** The key of one item at one site (the Kafka key of the stock topics). */
export function stockKey(level: Pick<StockLevel, 'itemCode' | 'site'>): string {
  return `${level.itemCode}|${level.site}`;
}
