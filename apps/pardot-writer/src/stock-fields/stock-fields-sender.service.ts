import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundService, SERVICE_CONFIG, type BackgroundLoopOptions } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import { stockSendingLoop } from '../stock-subscription/stock-sending-loop.js';
import { WriteStockFieldsUseCase } from './write-stock-fields.use-case.js';

/** Sends published stock to Salesforce every STOCK_FLUSH_MS, as long as there is some (≤ 200 products a call). */
@Injectable()
export class StockFieldsSender extends BackgroundService {
  private readonly logger = new Logger(StockFieldsSender.name);

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: PardotWriterConfig,
    private readonly dataSource: DataSource,
    private readonly write: WriteStockFieldsUseCase,
  ) {
    super();
  }

  protected loops(): readonly BackgroundLoopOptions[] {
    return [
      stockSendingLoop({
        subscriber: 'stock-fields',
        intervalMs: this.config.STOCK_FLUSH_MS,
        dataSource: this.dataSource,
        round: (manager) => this.write.execute({ manager }),
        logger: this.logger,
        sending: 'sending stock levels to Salesforce',
      }),
    ];
  }
}
