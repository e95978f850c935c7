import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import {
  CUSTOMER_WRITE_LANES,
  FlushCustomerWritesUseCase,
  type CustomerWriteLane,
} from './flush-customer-writes.use-case.js';

/**
 * Runs the customer writes whose coalescing window ended, round after round, from application start:
 * one loop per lane (prospects; Salesforce records), so a Pardot budget wait never holds Salesforce
 * writes back. On shutdown it starts no new round and lets the rounds in hand finish; writes not done
 * stay queued in PostgreSQL (a write claimed by a killed process is claimed again when its lease expires).
 */
@Injectable()
export class CustomerWriteFlusher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CustomerWriteFlusher.name);
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly flush: FlushCustomerWritesUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: PardotWriterConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.loops = CUSTOMER_WRITE_LANES.map((lane) => this.run(lane));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
  }

  private async run(lane: CustomerWriteLane): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      let busy = false;
      try {
        const round = await this.flush.execute(lane);
        busy = round.claimed > 0;
        if (busy) this.logger.debug({ lane, ...round }, 'customer writes done');
      } catch (error) {
        this.logger.error({ err: error, lane }, 'customer write round failed; trying again');
      }
      if (busy) continue;
      try {
        await sleep(this.config.CUSTOMER_WRITE_POLL_MS, undefined, { signal });
      } catch {
        return;
      }
    }
  }
}
