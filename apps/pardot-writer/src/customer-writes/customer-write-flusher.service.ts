import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundService, SERVICE_CONFIG, type BackgroundLoopOptions } from '@pardot-x3/service-runtime';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import {
  CUSTOMER_WRITE_LANES,
  FlushCustomerWritesUseCase,
  type CustomerWriteLane,
} from './flush-customer-writes.use-case.js';

/** The longest wait after failed rounds in a row (the database or an API is down). */
const MAX_RETRY_MS = 5_000;

/**
 * Runs the customer writes whose coalescing window ended, round after round, from application start:
 * one background loop per lane (prospects; Salesforce records), so a Pardot budget wait never holds
 * Salesforce writes back. A round that found work is followed at once by the next; an empty one waits
 * CUSTOMER_WRITE_POLL_MS. On shutdown no new round starts and the rounds in hand finish; writes not done
 * stay queued in PostgreSQL (a write claimed by a killed process is claimed again when its lease expires).
 */
@Injectable()
export class CustomerWriteFlusher extends BackgroundService {
  private readonly logger = new Logger(CustomerWriteFlusher.name);

  constructor(
    private readonly flush: FlushCustomerWritesUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: PardotWriterConfig,
  ) {
    super();
  }

  protected loops(): readonly BackgroundLoopOptions[] {
    return CUSTOMER_WRITE_LANES.map((lane) => this.loop(lane));
  }

  private loop(lane: CustomerWriteLane): BackgroundLoopOptions {
    return {
      name: `customer-writes:${lane}`,
      intervalMs: this.config.CUSTOMER_WRITE_POLL_MS,
      firstRetryMs: this.config.CUSTOMER_WRITE_POLL_MS,
      maxRetryMs: MAX_RETRY_MS,
      run: async () => {
        const round = await this.flush.execute(lane);
        if (round.claimed > 0) this.logger.debug({ lane, ...round }, 'customer writes done');
        return { again: round.claimed > 0 };
      },
      onError: (error, retryInMs) =>
        this.logger.error(
          { err: error, lane },
          `customer write round failed; trying again in ${retryInMs} ms`,
        ),
    };
  }
}
