import { Module } from '@nestjs/common';
import { readConfigFile } from '@pardot-x3/config';
import { parseStockPublicationPolicy } from '@pardot-x3/inventory';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import { ApplyStockLevelsUseCase, STOCK_POLICY } from './apply-stock-levels.use-case.js';
import { StockTickService } from './stock-tick.service.js';

/** What the stock subscribers share: the publication policy, the decider's state, the tick. */
@Module({
  providers: [
    {
      provide: STOCK_POLICY,
      inject: [SERVICE_CONFIG],
      useFactory: (config: PardotWriterConfig) => {
        const file = readConfigFile(config, 'inventory.yaml');
        return parseStockPublicationPolicy(file.text, file.fileName);
      },
    },
    ApplyStockLevelsUseCase,
    StockTickService,
  ],
  exports: [ApplyStockLevelsUseCase, StockTickService],
})
export class StockSubscriptionModule {}
