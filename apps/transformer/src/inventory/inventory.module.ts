import { Module } from '@nestjs/common';
import { readConfigFile } from '@pardot-x3/config';
import { parseStockPublicationPolicy } from '@pardot-x3/inventory';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { TransformerConfig } from '../transformer.config.js';
import { MapStockLevelUseCase, STOCK_POLICY } from './map-stock-level.use-case.js';
import { StockTotalHandler } from './stock-total.handler.js';

/** X3 stock totals → the latest stock per product and site (group transformer.inventory). */
@Module({
  providers: [
    {
      provide: STOCK_POLICY,
      inject: [SERVICE_CONFIG],
      useFactory: (config: TransformerConfig) => {
        const file = readConfigFile(config, 'inventory.yaml');
        return parseStockPublicationPolicy(file.text, file.fileName);
      },
    },
    MapStockLevelUseCase,
    StockTotalHandler,
  ],
})
export class InventoryModule {}
