import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundService, SERVICE_CONFIG, type BackgroundLoopOptions } from '@pardot-x3/service-runtime';
import type { SalesforceIngestConfig } from '../salesforce-ingest.config.js';
import { PollPardotUseCase, type PardotPolledEntity } from './poll-pardot.use-case.js';

/**
 * Polls Pardot prospects (and visitor activities, unless switched off) every PARDOT_POLL_INTERVAL_MS
 * (sooner after a failure) as background loops from application start; on shutdown, finishes the poll
 * in hand.
 */
@Injectable()
export class PardotPollerService extends BackgroundService {
  private readonly logger = new Logger(PardotPollerService.name);

  constructor(
    private readonly poll: PollPardotUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: SalesforceIngestConfig,
  ) {
    super();
  }

  protected loops(): readonly BackgroundLoopOptions[] {
    if (this.config.PARDOT_POLL_INTERVAL_MS === 0) return [];
    const entities: PardotPolledEntity[] = ['Prospect'];
    if (this.config.PARDOT_VISITOR_ACTIVITIES) entities.push('VisitorActivity');
    return entities.map((entity) => this.loop(entity));
  }

  private loop(entity: PardotPolledEntity): BackgroundLoopOptions {
    return {
      name: `pardot-poll:${entity}`,
      intervalMs: this.config.PARDOT_POLL_INTERVAL_MS,
      run: async () => {
        const result = await this.poll.execute(entity);
        if (result.published > 0 || result.invalid > 0)
          this.logger.log({ ...result }, `Pardot ${entity} poll: ${result.published} change(s) published`);
      },
      onError: (error, retryInMs) =>
        this.logger.error(
          { err: error, entity },
          `Pardot ${entity} poll failed; trying again in ${retryInMs} ms`,
        ),
    };
  }
}
