import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundService, SERVICE_CONFIG, type BackgroundLoopOptions } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import { DeliverStockWebhookUseCase } from './deliver-stock-webhook.use-case.js';

/** Posts due stock levels to the webhook every STOCK_FLUSH_MS, as long as some are due. */
@Injectable()
export class StockWebhookSender extends BackgroundService {
  private readonly logger = new Logger(StockWebhookSender.name);

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: PardotWriterConfig,
    private readonly dataSource: DataSource,
    private readonly deliver: DeliverStockWebhookUseCase,
  ) {
    super();
  }

  protected loops(): readonly BackgroundLoopOptions[] {
    return [
      {
        name: 'stock-webhook',
        intervalMs: this.config.STOCK_FLUSH_MS,
        // A round that handled records is followed at once by the next; what is not sent stays in
        // PostgreSQL for the next start (or another replica).
        run: async () => {
          const handled = await this.dataSource.transaction((manager) => this.deliver.execute({ manager }));
          return { again: handled > 0 };
        },
        onError: (error, retryInMs) =>
          this.logger.warn(
            { err: error },
            `posting stock levels to the webhook failed; trying again in ${retryInMs} ms`,
          ),
      },
    ];
  }
}
