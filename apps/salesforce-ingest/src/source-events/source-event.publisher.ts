import { Injectable } from '@nestjs/common';
import { TOPICS, type SourceRecordChanged, type TopicDefinition } from '@pardot-x3/canonical';
import { sourceVersionIdentity, type SourceVersion } from '@pardot-x3/ingestion';
import { deriveEventId, NonRetriableError, outgoingEvent } from '@pardot-x3/messaging';
import { MessageProducer } from '@pardot-x3/messaging-nest';
import { RecordVersionStore } from './record-version.store.js';
import { sourceMetrics } from '@pardot-x3/connector-kit';

const TOPIC_OF: Readonly<Record<string, TopicDefinition<SourceRecordChanged>>> = {
  'SALESFORCE:Lead': TOPICS.salesforceLeadChangedV1,
  'SALESFORCE:Contact': TOPICS.salesforceContactChangedV1,
  'SALESFORCE:Account': TOPICS.salesforceAccountChangedV1,
  'SALESFORCE:Opportunity': TOPICS.salesforceOpportunityChangedV1,
  'PARDOT:Prospect': TOPICS.pardotProspectChangedV1,
  'PARDOT:VisitorActivity': TOPICS.pardotVisitorActivityRecordedV1,
};

export interface SourceEventItem {
  readonly change: SourceRecordChanged;
  readonly version: SourceVersion;
}

/**
 * Sends source events of Salesforce and Pardot records to their topics in one batch, with event ids
 * derived from the record version (a version read twice is one event), and counts them. With
 * `onlyNewVersions`, versions already published (overlapping polls) are left out first. Resolves once
 * Kafka stored them; returns how many were sent.
 */
@Injectable()
export class SourceEventPublisher {
  private readonly metrics = sourceMetrics();

  constructor(
    private readonly producer: MessageProducer,
    private readonly versions: RecordVersionStore,
  ) {}

  async publish(
    items: readonly SourceEventItem[],
    options: { onlyNewVersions?: boolean } = {},
  ): Promise<number> {
    let selected = items;
    if (options.onlyNewVersions) {
      const fresh = new Set(await this.versions.unpublished(items.map((i) => i.change)));
      selected = items.filter((item) => fresh.has(item.change));
    }
    if (selected.length === 0) return 0;
    await this.producer.sendAll(
      selected.map(({ change, version }) =>
        outgoingEvent(topicOf(change), change, {
          eventId: deriveEventId(sourceVersionIdentity(change, version), 'salesforce-ingest.source-event'),
          occurredAt: change.changedAt,
        }),
      ),
    );
    if (options.onlyNewVersions) await this.versions.markPublished(selected.map((i) => i.change));
    for (const { change } of selected)
      this.metrics.events.inc({
        system: change.system.toLowerCase(),
        entity: change.entity,
        via: change.via.toLowerCase(),
      });
    return selected.length;
  }
}

function topicOf(change: SourceRecordChanged): TopicDefinition<SourceRecordChanged> {
  const topic = TOPIC_OF[`${change.system}:${change.entity}`];
  if (!topic) throw new NonRetriableError(`no topic for ${change.system} ${change.entity} source events`);
  return topic;
}
