import { Inject, Injectable } from '@nestjs/common';
import type { InventoryLevel, SourceRecordChanged } from '@pardot-x3/canonical';
import { inventoryLevelOf, type StockLevel, type StockPublicationPolicy } from '@pardot-x3/inventory';
import { mapRecord, MappingCatalog, sourceRecordInput } from '@pardot-x3/mapping';
import { NonRetriableError } from '@pardot-x3/messaging';

/** Injection token of config/inventory.yaml (the available-stock formula). */
export const STOCK_POLICY = Symbol.for('transformer.stock-policy');

/**
 * X3 stock totals of one product at one site (ITMMVT) → the canonical latest stock level: the
 * x3-stock-to-canonical template reads the X3 fields, the inventory policy computes available stock.
 */
@Injectable()
export class MapStockLevelUseCase {
  constructor(
    private readonly catalog: MappingCatalog,
    @Inject(STOCK_POLICY) private readonly policy: StockPublicationPolicy,
  ) {}

  execute(change: SourceRecordChanged): InventoryLevel | undefined {
    if (change.changeType === 'DELETED') return undefined;
    const result = mapRecord(this.catalog.get('x3-stock-to-canonical'), sourceRecordInput(change));
    if (result.outcome === 'skipped') return undefined;
    if (result.outcome === 'rejected')
      throw new NonRetriableError(
        `${result.templateId} rejected X3 ${change.entity} ${change.recordId}: ${result.problems.map((p) => p.message).join('; ')}`,
      );
    const { itemCode, site, physical, allocated, globalAllocated, observedAt, sequence } = result.record;
    if (
      typeof itemCode !== 'string' ||
      typeof site !== 'string' ||
      typeof physical !== 'number' ||
      typeof observedAt !== 'number'
    )
      throw new NonRetriableError(
        `${result.templateId} must map itemCode, site (text), physical (number) and observedAt (timestamp) of X3 ${change.entity} ${change.recordId}`,
      );
    const level: StockLevel = {
      itemCode,
      site,
      physical,
      allocated: typeof allocated === 'number' ? allocated : 0,
      globalAllocated: typeof globalAllocated === 'number' ? globalAllocated : 0,
      observedAt,
      ...(typeof sequence === 'number' && Number.isSafeInteger(sequence) ? { sequence } : {}),
    };
    return inventoryLevelOf(level, this.policy);
  }
}
