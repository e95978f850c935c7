import { Module } from '@nestjs/common';
import { StockSubscriptionModule } from '../stock-subscription/stock-subscription.module.js';
import { StockFieldsSender } from './stock-fields-sender.service.js';
import { StockFieldsLevelHandler } from './stock-level.handler.js';
import { WriteStockFieldsUseCase } from './write-stock-fields.use-case.js';

/** Inventory subscriber 1: Salesforce Product2 stock fields (group pardot-writer.stock-fields). */
@Module({
  imports: [StockSubscriptionModule],
  providers: [StockFieldsLevelHandler, WriteStockFieldsUseCase, StockFieldsSender],
})
export class StockFieldsModule {}
