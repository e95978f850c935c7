import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { X3OrderWriterConfig } from '../x3-order-writer.config.js';
import { EngagementActivityHandler } from './engagement-activity.handler.js';
import { EngagementRefreshService } from './engagement-refresh.service.js';
import { ENGAGEMENT_POLICIES, loadEngagementPolicies } from './engagement.policies.js';
import { ScoreCustomersUseCase } from './score-customers.use-case.js';

/**
 * The Last Engagement Score roll-up (group x3-order-writer.engagement-scoring): canonical activities
 * in, one score per X3 customer out (`engagement.score.changed.v1`).
 */
@Module({
  providers: [
    {
      provide: ENGAGEMENT_POLICIES,
      inject: [SERVICE_CONFIG],
      useFactory: (config: X3OrderWriterConfig) => loadEngagementPolicies(config),
    },
    ScoreCustomersUseCase,
    EngagementActivityHandler,
    EngagementRefreshService,
  ],
  exports: [ScoreCustomersUseCase, ENGAGEMENT_POLICIES],
})
export class EngagementScoringModule {}
