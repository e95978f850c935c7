import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type EngagementScore } from '@pardot-x3/canonical';
import type { MessageContext } from '@pardot-x3/messaging';
import { EventConsumer, HandleEvent } from '@pardot-x3/messaging-nest';
import { WriteEngagementScoreUseCase } from './write-engagement-score.use-case.js';

/** Writes each published Last Engagement Score to its X3 customer (group x3-order-writer.engagement-scores). */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.x3OrderWriterEngagementScores)
export class EngagementScoreHandler {
  constructor(private readonly write: WriteEngagementScoreUseCase) {}

  @HandleEvent(TOPICS.engagementScoreChangedV1)
  async handle(score: EngagementScore, context: MessageContext): Promise<void> {
    await this.write.execute({ score, manager: context.entityManager });
  }
}
