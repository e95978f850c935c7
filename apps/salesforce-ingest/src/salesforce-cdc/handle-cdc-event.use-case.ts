import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  InvalidSourceRecordError,
  isSalesforceSourceObject,
  salesforceCdcSourceChange,
  type SalesforceSourceObject,
} from '@pardot-x3/ingestion';
import type {
  CdcChangeEvent,
  CdcEvent,
  CdcGapEvent,
  CdcReplayExpiredEvent,
} from '@pardot-x3/salesforce-connector';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { SalesforceIngestConfig } from '../salesforce-ingest.config.js';
import { SalesforceRecordReader } from '../salesforce-reads/salesforce-record.reader.js';
import { SourceEventPublisher, type SourceEventItem } from '../source-events/source-event.publisher.js';
import { sourceMetrics } from '@pardot-x3/connector-kit';

/** How far back a GAP_OVERFLOW (changes Salesforce could not deliver) is re-read, before its commit time. */
const OVERFLOW_MARGIN_MS = 60_000;

/**
 * One Change Data Capture event, resolved only once its source events are in Kafka (the subscriber
 * then saves the replay position):
 * - a change of an ingested object → one source event per record id (REST field names; an UPDATE
 *   carries what it changed); an Opportunity is read whole, with its Account and line items;
 * - an echo of our own write (changeOrigin names our client id) → dropped and counted;
 * - a GAP event → the records read by id (GAP_OVERFLOW: the object's window re-read by SystemModstamp);
 * - an expired or refused replay id → every ingested object re-read over the missed window.
 */
@Injectable()
export class HandleCdcEventUseCase {
  private readonly logger = new Logger(HandleCdcEventUseCase.name);
  private readonly metrics = sourceMetrics();

  constructor(
    private readonly reader: SalesforceRecordReader,
    private readonly publisher: SourceEventPublisher,
    @Inject(SERVICE_CONFIG) private readonly config: SalesforceIngestConfig,
  ) {}

  async execute(event: CdcEvent): Promise<void> {
    switch (event.kind) {
      case 'change':
        return this.change(event);
      case 'gap':
        return this.gap(event);
      case 'replay-expired':
        return this.repair(event);
    }
  }

  private ingested(entity: string): entity is SalesforceSourceObject {
    return isSalesforceSourceObject(entity) && this.config.SALESFORCE_SOURCE_OBJECTS.includes(entity);
  }

  private async change(event: CdcChangeEvent): Promise<void> {
    const { header } = event;
    if (!this.ingested(header.entityName)) return;
    if (event.echo) {
      this.metrics.echoesDropped.inc(
        { system: 'salesforce', entity: header.entityName },
        header.recordIds.length,
      );
      return;
    }
    if (!['CREATE', 'UPDATE', 'DELETE', 'UNDELETE'].includes(header.changeType)) return;
    const changeType = header.changeType as 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';
    let items: SourceEventItem[];
    if (header.entityName === 'Opportunity' && changeType !== 'DELETE') {
      const read = await this.reader.byIds(
        'Opportunity',
        header.recordIds,
        'CDC',
        changeType === 'CREATE' ? 'CREATED' : 'UPDATED',
      );
      items = read.map((item) => ({
        ...item,
        version: { changedAt: header.commitTimestamp, sequence: event.cdcReplayId },
      }));
    } else {
      try {
        items = header.recordIds.map((recordId) =>
          salesforceCdcSourceChange({
            entityName: header.entityName,
            recordId,
            changeType,
            commitTimestamp: header.commitTimestamp,
            changedFields: header.changedFields ?? [],
            nulledFields: header.nulledFields ?? [],
            fields: event.fields,
            changeOrigin: header.changeOrigin,
            cdcReplayId: event.cdcReplayId,
          }),
        );
      } catch (error) {
        // A field named __proto__, constructor or prototype (Salesforce API names cannot be): refused and
        // logged, as the pollers refuse such records, and the stream goes on.
        if (!(error instanceof InvalidSourceRecordError)) throw error;
        this.logger.warn(
          { entity: header.entityName, recordIds: header.recordIds, problems: error.problems },
          error.message,
        );
        return;
      }
    }
    await this.publisher.publish(items);
  }

  private async gap(event: CdcGapEvent): Promise<void> {
    const { header } = event;
    if (!this.ingested(header.entityName)) return;
    const sobject = header.entityName;
    if (header.changeType === 'GAP_OVERFLOW' || header.recordIds.some((id) => id.includes('*'))) {
      this.logger.warn({ entity: sobject }, 'CDC overflow: re-reading the window by SystemModstamp');
      for await (const page of this.reader.window(
        sobject,
        new Date(header.commitTimestamp - OVERFLOW_MARGIN_MS),
        undefined,
        'CDC',
      ))
        await this.publisher.publish(page);
      return;
    }
    if (header.changeType === 'GAP_DELETE') return;
    const items = await this.reader.byIds(sobject, header.recordIds, 'CDC', 'UPDATED');
    this.logger.log(
      { entity: sobject, records: header.recordIds.length, read: items.length },
      `CDC ${header.changeType}: records read by id`,
    );
    await this.publisher.publish(items);
  }

  private async repair(event: CdcReplayExpiredEvent): Promise<void> {
    const since = event.since ?? new Date(event.until.getTime() - 72 * 3_600_000);
    this.logger.warn(
      {
        channel: event.channel,
        since: since.toISOString(),
        until: event.until.toISOString(),
        reason: event.reason,
      },
      'stored CDC replay id refused: re-reading the missed window by SystemModstamp',
    );
    let published = 0;
    for (const sobject of this.config.SALESFORCE_SOURCE_OBJECTS)
      for await (const page of this.reader.window(sobject, since, event.until, 'BACKFILL'))
        published += await this.publisher.publish(page);
    this.logger.log({ published }, 'missed CDC window re-read');
  }
}
