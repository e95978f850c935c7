import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type InventoryLevel } from '@pardot-x3/canonical';
import type { BatchContext, BatchItem } from '@pardot-x3/messaging';
import { EventConsumer, HandleEventBatch } from '@pardot-x3/messaging-nest';
import { ApplyStockLevelsUseCase } from '../stock-subscription/apply-stock-levels.use-case.js';
import { StockTickService } from '../stock-subscription/stock-tick.service.js';

/** pardot-writer.stock-webhook: stock levels → debounced, thresholded e-commerce webhook calls. */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.pardotWriterStockWebhook)
export class StockWebhookLevelHandler {
  constructor(
    private readonly apply: ApplyStockLevelsUseCase,
    tick: StockTickService,
  ) {
    tick.register('stock-webhook');
  }

  @HandleEventBatch(TOPICS.inventoryStockLevelChangedV1, { maxBatchSize: 500 })
  async handle(items: readonly BatchItem<InventoryLevel>[], batch: BatchContext): Promise<void> {
    await this.apply.execute({
      subscriber: 'stock-webhook',
      levels: items.map((item) => item.event),
      manager: batch.entityManager,
    });
  }
}
