import { Injectable } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type SourceRecordChanged } from '@pardot-x3/canonical';
import type { BatchItem } from '@pardot-x3/messaging';
import { EventConsumer, HandleEventBatch } from '@pardot-x3/messaging-nest';
import { MapVisitorActivityUseCase } from './map-visitor-activity.use-case.js';

/**
 * transformer.engagement: Pardot visitor activities → canonical engagement activities, the input of the
 * Last Engagement Score. In batches: activities arrive by the thousand from a poll.
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.transformerEngagement)
export class VisitorActivityHandler {
  constructor(private readonly mapActivity: MapVisitorActivityUseCase) {}

  @HandleEventBatch(TOPICS.pardotVisitorActivityRecordedV1, { maxBatchSize: 500 })
  async handle(items: readonly BatchItem<SourceRecordChanged>[]): Promise<void> {
    for (const { event, context } of items) {
      const activity = this.mapActivity.execute(event);
      if (activity)
        context.emit(TOPICS.engagementActivityRecordedV1, activity, { occurredAt: activity.occurredAt });
    }
  }
}
