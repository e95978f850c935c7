import { Module } from '@nestjs/common';
import { EngagementScoringModule } from '../engagement-scoring/engagement-scoring.module.js';
import { EngagementScoreHandler } from './engagement-score.handler.js';
import { WriteEngagementScoreUseCase } from './write-engagement-score.use-case.js';

/** The Last Engagement Score onto the X3 customer (group x3-order-writer.engagement-scores). */
@Module({
  imports: [EngagementScoringModule],
  providers: [WriteEngagementScoreUseCase, EngagementScoreHandler],
})
export class EngagementScoreWriteModule {}
