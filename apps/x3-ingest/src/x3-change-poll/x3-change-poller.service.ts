import { Inject, Injectable, Logger } from '@nestjs/common';
import type { X3SourceClassName } from '@pardot-x3/ingestion';
import { BackgroundService, SERVICE_CONFIG, type BackgroundLoopOptions } from '@pardot-x3/service-runtime';
import type { X3IngestConfig } from '../x3-ingest.config.js';
import { PollX3ChangesUseCase } from './poll-x3-changes.use-case.js';

/**
 * Runs the poller of each configured X3 class as a background loop (one poll at a time per class,
 * every X3_POLL_INTERVAL_MS, sooner after a failure) from application start; on shutdown it stops
 * starting new polls and lets the running ones finish their batch.
 */
@Injectable()
export class X3ChangePollerService extends BackgroundService {
  private readonly logger = new Logger(X3ChangePollerService.name);

  constructor(
    private readonly poll: PollX3ChangesUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: X3IngestConfig,
  ) {
    super();
  }

  protected loops(): readonly BackgroundLoopOptions[] {
    const classes = this.config.X3_POLL_CLASSES;
    if (classes.length > 0)
      this.logger.log({ classes, intervalMs: this.config.X3_POLL_INTERVAL_MS }, 'X3 change pollers started');
    return classes.map((className) => this.loop(className));
  }

  private loop(className: X3SourceClassName): BackgroundLoopOptions {
    return {
      name: `x3-poll:${className}`,
      intervalMs: this.config.X3_POLL_INTERVAL_MS,
      run: async (signal) => {
        const result = await this.poll.execute(className, signal);
        if (result.published > 0 || result.invalid > 0)
          this.logger.log({ ...result }, `X3 ${className} poll: ${result.published} change(s) published`);
      },
      onError: (error, retryInMs) =>
        this.logger.error(
          { err: error, className },
          `X3 ${className} poll failed; trying again in ${retryInMs} ms`,
        ),
    };
  }
}
