import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import { PublicationSender } from '../stock-subscription/publication-sender.js';
import { WriteStockFieldsUseCase } from './write-stock-fields.use-case.js';

/** Sends published stock to Salesforce every STOCK_FLUSH_MS, as long as there is some (≤ 200 products a call). */
@Injectable()
export class StockFieldsSender extends PublicationSender {
  protected readonly logger = new Logger(StockFieldsSender.name);

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: PardotWriterConfig,
    private readonly dataSource: DataSource,
    private readonly write: WriteStockFieldsUseCase,
  ) {
    super();
  }

  protected get intervalMs(): number {
    return this.config.STOCK_FLUSH_MS;
  }

  protected round(): Promise<number> {
    return this.dataSource.transaction((manager) => this.write.execute(manager));
  }
}
