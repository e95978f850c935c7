import { Module } from '@nestjs/common';
import { StockSubscriptionModule } from '../stock-subscription/stock-subscription.module.js';
import { DeliverStockWebhookUseCase } from './deliver-stock-webhook.use-case.js';
import { StockWebhookLevelHandler } from './stock-level.handler.js';
import { StockWebhookSender } from './stock-webhook-sender.service.js';

/**
 * Inventory subscriber 2: the HMAC-signed e-commerce stock webhook (group pardot-writer.stock-webhook),
 * independent of subscriber 1 (its own offsets, state, debounce and retries). Runs when
 * STOCK_WEBHOOK_URL is set.
 */
@Module({
  imports: [StockSubscriptionModule],
  providers: [StockWebhookLevelHandler, DeliverStockWebhookUseCase, StockWebhookSender],
})
export class StockWebhookModule {}
