import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PollLoops } from '@pardot-x3/connector-kit';
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
  private readonly loops = new PollLoops();

  constructor(
    private readonly poll: PollPardotUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: SalesforceIngestConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.PARDOT_POLL_INTERVAL_MS === 0) return;
    const entities: PardotPolledEntity[] = ['Prospect'];
    if (this.config.PARDOT_VISITOR_ACTIVITIES) entities.push('VisitorActivity');
    for (const entity of entities) this.start(entity);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loops.stop();
  }

  private start(entity: PardotPolledEntity): void {
    this.loops.start({
      intervalMs: this.config.PARDOT_POLL_INTERVAL_MS,
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
