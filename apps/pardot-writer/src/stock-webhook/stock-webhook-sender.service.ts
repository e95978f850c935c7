import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import { PublicationSender } from '../stock-subscription/publication-sender.js';
import { DeliverStockWebhookUseCase } from './deliver-stock-webhook.use-case.js';

/** Posts due stock levels to the webhook every STOCK_FLUSH_MS, as long as some are due. */
@Injectable()
export class StockWebhookSender extends PublicationSender {
  protected readonly logger = new Logger(StockWebhookSender.name);

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: PardotWriterConfig,
    private readonly dataSource: DataSource,
    private readonly deliver: DeliverStockWebhookUseCase,
  ) {
    super();
  }

  protected get intervalMs(): number {
    return this.config.STOCK_FLUSH_MS;
  }

  protected round(): Promise<number> {
    return this.dataSource.transaction((manager) => this.deliver.execute(manager));
  }
}
