import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PollLoops } from '@pardot-x3/connector-kit';
import type { X3SourceClassName } from '@pardot-x3/ingestion';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { X3IngestConfig } from '../x3-ingest.config.js';
import { PollX3ChangesUseCase } from './poll-x3-changes.use-case.js';

/**
 * Runs the poller of each configured X3 class in a loop (one poll at a time per class, every
 * X3_POLL_INTERVAL_MS, sooner after a failure) from application start; on shutdown it stops starting
 * new polls and lets the running ones finish their batch.
 */
@Injectable()
export class X3ChangePollerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(X3ChangePollerService.name);
  private readonly loops = new PollLoops();

  constructor(
    private readonly poll: PollX3ChangesUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: X3IngestConfig,
  ) {}

  onApplicationBootstrap(): void {
    for (const className of this.config.X3_POLL_CLASSES) this.start(className);
    if (this.loops.size > 0)
      this.logger.log(
        { classes: this.config.X3_POLL_CLASSES, intervalMs: this.config.X3_POLL_INTERVAL_MS },
        'X3 change pollers started',
      );
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loops.stop();
  }

  private start(className: X3SourceClassName): void {
    this.loops.start({
      intervalMs: this.config.X3_POLL_INTERVAL_MS,
      poll: (signal) => this.poll.execute(className, signal),
      onResult: (result) => {
        if (result.published > 0 || result.invalid > 0)
          this.logger.log({ ...result }, `X3 ${className} poll: ${result.published} change(s) published`);
      },
      onError: (error, retryInMs) =>
        this.logger.error(
          { err: error, className },
          `X3 ${className} poll failed; trying again in ${retryInMs} ms`,
        ),
    });
  }
}
