import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { X3SourceClassName } from '@pardot-x3/ingestion';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import type { X3IngestConfig } from '../x3-ingest.config.js';
import { PollX3ChangesUseCase } from './poll-x3-changes.use-case.js';

/** After a failed poll, wait this long (doubling up to the poll interval) before trying again. */
const FIRST_RETRY_MS = 1_000;

/**
 * Runs the poller of each configured X3 class in a loop (one poll at a time per class, every
 * X3_POLL_INTERVAL_MS) from application start; on shutdown it stops starting new polls and lets the
 * running ones finish their batch.
 */
@Injectable()
export class X3ChangePollerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(X3ChangePollerService.name);
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly poll: PollX3ChangesUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: X3IngestConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.loops = this.config.X3_POLL_CLASSES.map((className) => this.run(className));
    if (this.loops.length > 0)
      this.logger.log(
        { classes: this.config.X3_POLL_CLASSES, intervalMs: this.config.X3_POLL_INTERVAL_MS },
        'X3 change pollers started',
      );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.loops);
  }

  private async run(className: X3SourceClassName): Promise<void> {
    const { signal } = this.abort;
    let retryMs = FIRST_RETRY_MS;
    while (!signal.aborted) {
      let wait = this.config.X3_POLL_INTERVAL_MS;
      try {
        const result = await this.poll.execute(className, signal);
        retryMs = FIRST_RETRY_MS;
        if (result.published > 0 || result.invalid > 0)
          this.logger.log({ ...result }, `X3 ${className} poll: ${result.published} change(s) published`);
      } catch (error) {
        wait = Math.min(retryMs, this.config.X3_POLL_INTERVAL_MS);
        retryMs *= 2;
        this.logger.error(
          { err: error, className },
          `X3 ${className} poll failed; trying again in ${wait} ms`,
        );
      }
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        return;
      }
    }
  }
}
