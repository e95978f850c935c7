import { Inject, Injectable, Logger } from '@nestjs/common';
import { TOPICS } from '@pardot-x3/canonical';
import { outgoingEvent } from '@pardot-x3/messaging';
import { MessageProducer } from '@pardot-x3/messaging-nest';
import { BackgroundService, SERVICE_CONFIG, type BackgroundLoopOptions } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import type { X3OrderWriterConfig } from '../x3-order-writer.config.js';
import { ScoreCustomersUseCase } from './score-customers.use-case.js';

/**
 * The score weighs activities by their age, so it falls while a customer is quiet: every
 * ENGAGEMENT_REFRESH_INTERVAL_MS (a background loop) the activities beyond the horizon are forgotten,
 * the scores published so far are recomputed and those that changed are published again (replicas may each do
 * it: a score is recomputed from the stored activities, so the result is the same, and only a change
 * is published).
 */
@Injectable()
export class EngagementRefreshService extends BackgroundService {
  private readonly logger = new Logger(EngagementRefreshService.name);

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: X3OrderWriterConfig,
    private readonly dataSource: DataSource,
    private readonly scoring: ScoreCustomersUseCase,
    private readonly producer: MessageProducer,
  ) {
    super();
  }

  protected loops(): readonly BackgroundLoopOptions[] {
    const intervalMs = this.config.ENGAGEMENT_REFRESH_INTERVAL_MS;
    if (intervalMs <= 0) return [];
    return [
      {
        name: 'engagement-refresh',
        intervalMs,
        runAtStart: false,
        run: async () => {
          await this.refresh();
        },
        onError: (error, retryInMs) =>
          this.logger.warn(
            { err: error },
            `engagement score refresh failed; trying again in ${retryInMs} ms`,
          ),
      },
    ];
  }

  /** Recomputes every published score as of `asOf` (default now); returns how many changed. */
  async refresh(asOf = Date.now()): Promise<number> {
    const scores = await this.dataSource.transaction(async (manager) => {
      await this.scoring.forgetActivitiesBeyondHorizon(manager, asOf);
      return this.scoring.execute({
        manager,
        customerCodes: await this.scoring.scoredCustomers(manager),
        asOf,
      });
    });
    if (scores.length > 0)
      await this.producer.sendAll(
        scores.map((score) => outgoingEvent(TOPICS.engagementScoreChangedV1, score)),
      );
    this.logger.log({ changed: scores.length }, 'engagement scores refreshed');
    return scores.length;
  }
}
