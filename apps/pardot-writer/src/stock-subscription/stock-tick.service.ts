import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundService, SERVICE_CONFIG, type BackgroundLoopOptions } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import { ApplyStockLevelsUseCase, type StockSubscriber } from './apply-stock-levels.use-case.js';

/**
 * Every STOCK_TICK_MS (a background loop), publishes the stock changes that waited long enough (debounce window ended, or
 * maxStaleness reached) for every stock subscriber that registered. Replicas may tick at once: rows are
 * taken with SKIP LOCKED.
 */
@Injectable()
export class StockTickService extends BackgroundService {
  private readonly logger = new Logger(StockTickService.name);
  private readonly subscribers = new Set<StockSubscriber>();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: PardotWriterConfig,
    private readonly dataSource: DataSource,
    private readonly apply: ApplyStockLevelsUseCase,
  ) {
    super();
  }

  /** A subscriber module registers itself at construction. */
  register(subscriber: StockSubscriber): void {
    this.subscribers.add(subscriber);
  }

  protected loops(): readonly BackgroundLoopOptions[] {
    return [
      {
        name: 'stock-tick',
        intervalMs: this.config.STOCK_TICK_MS,
        runAtStart: false,
        run: () => this.tick(),
        onError: (error, retryInMs) =>
          this.logger.warn({ err: error }, `stock tick failed; trying again in ${retryInMs} ms`),
      },
    ];
  }

  async tick(): Promise<void> {
    for (const subscriber of this.subscribers) {
      for (;;) {
        const published = await this.dataSource.transaction((manager) =>
          this.apply.tick(subscriber, manager),
        );
        if (published === 0) break;
        this.logger.debug({ subscriber, published }, 'held stock changes published');
      }
    }
  }
}
