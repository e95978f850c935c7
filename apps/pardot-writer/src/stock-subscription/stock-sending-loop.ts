import type { Logger } from '@nestjs/common';
import type { EntityManager } from '@pardot-x3/persistence';
import type { BackgroundLoopOptions } from '@pardot-x3/service-runtime';
import type { DataSource } from 'typeorm';
import type { StockSubscriber } from './apply-stock-levels.use-case.js';

export interface StockSendingLoop {
  readonly subscriber: StockSubscriber;
  readonly intervalMs: number;
  readonly dataSource: DataSource;
  /** One round in its own transaction; resolves to the records it handled. */
  readonly round: (manager: EntityManager) => Promise<number>;
  readonly logger: Logger;
  /** For the log line of a failed round, e.g. "sending stock levels to Salesforce". */
  readonly sending: string;
}

/**
 * The background loop of a stock subscriber's sender: a round that handled records is followed at once
 * by the next, an empty one waits `intervalMs`; what is not sent stays in PostgreSQL for the next round,
 * the next start or another replica.
 */
export function stockSendingLoop(options: StockSendingLoop): BackgroundLoopOptions {
  return {
    name: options.subscriber,
    intervalMs: options.intervalMs,
    run: async () => ({ again: (await options.dataSource.transaction(options.round)) > 0 }),
    onError: (error, retryInMs) =>
      options.logger.warn({ err: error }, `${options.sending} failed; trying again in ${retryInMs} ms`),
  };
}
