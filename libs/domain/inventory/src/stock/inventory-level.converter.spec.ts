import { createAvroType, TOPICS } from '@pardot-x3/canonical';
import { describe, expect, it } from 'vitest';
import { decideStockLevel } from '../publication/stock-publication.decider.js';
import type { StockPublicationPolicy } from '../publication/stock-publication-policy.js';
import { inventoryLevelOf, stockLevelOfInventoryLevel } from './inventory-level.converter.js';

const level = {
  itemCode: 'BMS-400',
  site: 'FR011',
  physical: 140,
  allocated: 12,
  globalAllocated: 3.00005,
  observedAt: Date.parse('2026-11-20T14:05:12Z'),
};

describe('the canonical stock level', () => {
  it('carries available stock by the configured formula, the rest as allocated, in 4 decimals', () => {
    const canonical = inventoryLevelOf(level, { subtract: ['PHYALL', 'GLOALL'] });
    expect(canonical).toEqual({
      itemRef: 'BMS-400',
      site: 'FR011',
      physicalStock: '140',
      allocatedStock: '15',
      availableStock: '125',
      stockUnit: null,
      itemDescription: null,
      measuredAt: new Date('2026-11-20T14:05:12Z'),
      sourceSequence: null,
    });
    expect(createAvroType(TOPICS.inventoryStockLevelChangedV1.value.json).isValid(canonical)).toBe(true);
  });

  it('follows a formula that subtracts only PHYALL', () => {
    expect(inventoryLevelOf(level, { subtract: ['PHYALL'] })).toMatchObject({
      allocatedStock: '12',
      availableStock: '128',
    });
  });

  it("carries X3's change counter, so subscribers order two levels of the same second", () => {
    const canonical = inventoryLevelOf({ ...level, sequence: 418 }, { subtract: ['PHYALL'] });
    expect(canonical.sourceSequence).toBe(418);
    expect(createAvroType(TOPICS.inventoryStockLevelChangedV1.value.json).isValid(canonical)).toBe(true);
    expect(stockLevelOfInventoryLevel(canonical).sequence).toBe(418);
    expect(stockLevelOfInventoryLevel(inventoryLevelOf(level, { subtract: [] }))).not.toHaveProperty(
      'sequence',
    );
  });

  it('is read back by subscribers with its available stock as is, whatever their own formula', () => {
    const canonical = inventoryLevelOf(level, { subtract: ['PHYALL'] });
    const policy = { subtract: ['PHYALL', 'GLOALL'] } as unknown as StockPublicationPolicy;
    const decision = decideStockLevel(undefined, stockLevelOfInventoryLevel(canonical), policy);
    expect(decision.publication).toMatchObject({ available: 128, physical: 140, reason: 'first-level' });
  });
});
