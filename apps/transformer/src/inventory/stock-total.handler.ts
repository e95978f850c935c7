import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type SourceRecordChanged } from '@pardot-x3/canonical';
import type { BatchItem } from '@pardot-x3/messaging';
import { EventConsumer, HandleEventBatch } from '@pardot-x3/messaging-nest';
import { MapStockLevelUseCase } from './map-stock-level.use-case.js';

/**
 * transformer.inventory: every X3 stock change → the latest stock level per product and site on the
 * compacted `inventory.stock-level.changed.v1` (subscribers debounce and threshold it on their side).
 * In batches: stock moves in bursts (10,000 movements of a goods receipt).
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.transformerInventory)
export class StockTotalHandler {
  constructor(private readonly mapLevel: MapStockLevelUseCase) {}

  @HandleEventBatch(TOPICS.x3StockChangedV1, { maxBatchSize: 500 })
  async handle(items: readonly BatchItem<SourceRecordChanged>[]): Promise<void> {
    for (const { event, context } of items) {
      const level = this.mapLevel.execute(event);
      if (level) context.emit(TOPICS.inventoryStockLevelChangedV1, level, { occurredAt: level.measuredAt });
    }
  }
}
