import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundService, SERVICE_CONFIG, type BackgroundLoopOptions } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
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
      {
        name: 'stock-fields',
        intervalMs: this.config.STOCK_FLUSH_MS,
        // A round that handled records is followed at once by the next; what is not sent stays in
        // PostgreSQL for the next start (or another replica).
        run: async () => {
          const handled = await this.dataSource.transaction((manager) => this.write.execute({ manager }));
          return { again: handled > 0 };
        },
        onError: (error, retryInMs) =>
          this.logger.warn(
            { err: error },
            `sending stock levels to Salesforce failed; trying again in ${retryInMs} ms`,
          ),
      },
    ];
  }
}
