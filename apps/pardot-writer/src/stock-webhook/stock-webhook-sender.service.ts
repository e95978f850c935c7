import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundService, SERVICE_CONFIG, type BackgroundLoopOptions } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import { stockSendingLoop } from '../stock-subscription/stock-sending-loop.js';
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
      stockSendingLoop({
        subscriber: 'stock-webhook',
        intervalMs: this.config.STOCK_FLUSH_MS,
        dataSource: this.dataSource,
        round: (manager) => this.deliver.execute({ manager }),
        logger: this.logger,
        sending: 'posting stock levels to the webhook',
      }),
    ];
  }
}
