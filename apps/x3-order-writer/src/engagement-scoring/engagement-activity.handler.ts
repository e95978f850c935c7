import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type EngagementActivity } from '@pardot-x3/canonical';
import type { BatchContext, BatchItem, MessageContext } from '@pardot-x3/messaging';
import { EventConsumer, HandleEventBatch } from '@pardot-x3/messaging-nest';
import { CustomerDirectory } from '../customer-directory/customer-directory.service.js';
import { EngagementActivityEntity } from './engagement-activity.entity.js';
import { lockForEngagement } from './engagement-locks.js';
import { ScoreCustomersUseCase } from './score-customers.use-case.js';

/**
 * Stores canonical prospect activities (each once, by id) and rescores the X3 customers they belong
 * to, in batches: one transaction and one score per customer for many activities.
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.x3OrderWriterEngagementScoring)
export class EngagementActivityHandler {
  constructor(
    private readonly directory: CustomerDirectory,
    private readonly scoring: ScoreCustomersUseCase,
  ) {}

  @HandleEventBatch(TOPICS.engagementActivityRecordedV1, { maxBatchSize: 500 })
  async handle(items: readonly BatchItem<EngagementActivity>[], batch: BatchContext): Promise<void> {
    const manager = batch.entityManager;
    const prospects = [...new Set(items.map(({ event }) => event.prospectId))];
    await lockForEngagement(manager, { prospects });
    await manager
      .createQueryBuilder()
      .insert()
      .into(EngagementActivityEntity)
      .values(
        items.map(({ event }) => ({
          activityId: event.activityId,
          prospectId: event.prospectId,
          activityType: event.sourceType,
          occurredAt: event.occurredAt,
        })),
      )
      .orIgnore()
      .execute();
    const links = await this.directory.customerCodesOfProspects(manager, prospects);
    const codes = new Map<string, MessageContext>();
    for (const { event, context } of items)
      for (const customer of links.get(event.prospectId) ?? [])
        for (const code of customer.x3CustomerCodes) codes.set(code, context);
    if (codes.size === 0) return;
    const scores = await this.scoring.execute({ manager, customerCodes: [...codes.keys()] });
    for (const score of scores) codes.get(score.x3CustomerCode)?.emit(TOPICS.engagementScoreChangedV1, score);
  }
}
