import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type InventoryLevel } from '@pardot-x3/canonical';
import type { BatchContext, BatchItem } from '@pardot-x3/messaging';
import { EventConsumer, HandleEventBatch } from '@pardot-x3/messaging-nest';
import { ApplyStockLevelsUseCase } from '../stock-subscription/apply-stock-levels.use-case.js';
import { StockTickService } from '../stock-subscription/stock-tick.service.js';

/** pardot-writer.stock-fields: stock levels → debounced, thresholded Salesforce product stock fields. */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.pardotWriterStockFields)
export class StockFieldsLevelHandler {
  constructor(
    private readonly apply: ApplyStockLevelsUseCase,
    tick: StockTickService,
  ) {
    tick.register('stock-fields');
  }

  @HandleEventBatch(TOPICS.inventoryStockLevelChangedV1, { maxBatchSize: 500 })
  async handle(items: readonly BatchItem<InventoryLevel>[], batch: BatchContext): Promise<void> {
    await this.apply.execute({
      subscriber: 'stock-fields',
      levels: items.map((item) => item.event),
      manager: batch.entityManager,
    });
  }
}
