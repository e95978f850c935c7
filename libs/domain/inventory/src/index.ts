// Inventory: latest stock per item and site, and which level changes are worth publishing.
export type { StockLevel, StockPublication } from './stock/stock-level.types.js';
export { availableStock, stockKey, type AllocationColumn } from './stock/available-stock.js';
export {
  parseStockPublicationPolicy,
  thresholdsFor,
  type StockPublicationPolicy,
  type StockThresholds,
} from './publication/stock-publication-policy.js';
export {
  decideStockLevel,
  decideOnTick,
  type StockItemState,
  type StockDecision,
} from './publication/stock-publication.decider.js';
export { inventoryLevelOf, stockLevelOfInventoryLevel } from './stock/inventory-level.converter.js';
