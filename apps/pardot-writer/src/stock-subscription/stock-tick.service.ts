import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import { ApplyStockLevelsUseCase, type StockSubscriber } from './apply-stock-levels.use-case.js';

/**
 * Every STOCK_TICK_MS, publishes the stock changes that waited long enough (debounce window ended, or
 * maxStaleness reached) for every stock subscriber that registered. Replicas may tick at once: rows are
 * taken with SKIP LOCKED.
 */
@Injectable()
export class StockTickService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(StockTickService.name);
  private readonly subscribers = new Set<StockSubscriber>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: PardotWriterConfig,
    private readonly dataSource: DataSource,
    private readonly apply: ApplyStockLevelsUseCase,
  ) {}

  /** A subscriber module registers itself at construction. */
  register(subscriber: StockSubscriber): void {
    this.subscribers.add(subscriber);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'stock tick failed; the next one retries'),
        )
        .finally(() => (this.running = undefined));
    }, this.config.STOCK_TICK_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
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
