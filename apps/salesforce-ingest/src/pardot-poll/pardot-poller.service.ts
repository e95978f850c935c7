import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { runPollLoop } from '@pardot-x3/connector-kit';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { SalesforceIngestConfig } from '../salesforce-ingest.config.js';
import { PollPardotUseCase, type PardotPolledEntity } from './poll-pardot.use-case.js';

/**
 * Polls Pardot prospects (and visitor activities, unless switched off) every PARDOT_POLL_INTERVAL_MS
 * (sooner after a failure) from application start; on shutdown, finishes the poll in hand.
 */
@Injectable()
export class PardotPollerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PardotPollerService.name);
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly poll: PollPardotUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: SalesforceIngestConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.PARDOT_POLL_INTERVAL_MS === 0) return;
    const entities: PardotPolledEntity[] = ['Prospect'];
    if (this.config.PARDOT_VISITOR_ACTIVITIES) entities.push('VisitorActivity');
    this.loops = entities.map((entity) => this.run(entity));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.loops);
  }

  private run(entity: PardotPolledEntity): Promise<void> {
    return runPollLoop({
      intervalMs: this.config.PARDOT_POLL_INTERVAL_MS,
      signal: this.abort.signal,
      poll: () => this.poll.execute(entity),
      onResult: (result) => {
        if (result.published > 0 || result.invalid > 0)
          this.logger.log({ ...result }, `Pardot ${entity} poll: ${result.published} change(s) published`);
      },
      onError: (error, retryInMs) =>
        this.logger.error(
          { err: error, entity },
          `Pardot ${entity} poll failed; trying again in ${retryInMs} ms`,
        ),
    });
  }
}
