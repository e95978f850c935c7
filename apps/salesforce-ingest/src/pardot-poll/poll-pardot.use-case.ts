import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  advanceWatermark,
  InvalidSourceRecordError,
  isPardotOwnWrite,
  PARDOT_PROSPECT_FIELDS,
  PARDOT_VISITOR_ACTIVITY_FIELDS,
  pardotProspectSourceChange,
  pardotVisitorActivitySourceChange,
  pollWindowStart,
  settledPollEnd,
} from '@pardot-x3/ingestion';
import { PardotClient } from '@pardot-x3/pardot-connector';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { PardotOwnWriteStore } from '../pardot-own-writes/pardot-own-write.store.js';
import type { SalesforceIngestConfig } from '../salesforce-ingest.config.js';
import { PollWatermarkStore } from '../source-events/poll-watermark.store.js';
import { SourceEventPublisher, type SourceEventItem } from '../source-events/source-event.publisher.js';
import { sourceMetrics } from '@pardot-x3/connector-kit';

/** Records per Pardot page and per batch sent to Kafka. */
const PAGE_SIZE = 500;

export type PardotPolledEntity = 'Prospect' | 'VisitorActivity';

export interface PardotPollResult {
  readonly entity: PardotPolledEntity;
  readonly read: number;
  readonly published: number;
  readonly echoes: number;
  readonly invalid: number;
}

/**
 * One poll of Pardot prospects (`updatedAt`) or visitor activities (`createdAt`): everything changed
 * since the watermark minus the overlap, page by page; new versions published in batches, prospects
 * that are the echo of pardot-writer's own last write dropped; the watermark (Pardot's clock) moved
 * after each batch is in Kafka.
 */
@Injectable()
export class PollPardotUseCase {
  private readonly logger = new Logger(PollPardotUseCase.name);
  private readonly metrics = sourceMetrics();

  constructor(
    private readonly pardot: PardotClient,
    private readonly publisher: SourceEventPublisher,
    private readonly watermarks: PollWatermarkStore,
    private readonly ownWrites: PardotOwnWriteStore,
    @Inject(SERVICE_CONFIG) private readonly config: SalesforceIngestConfig,
  ) {}

  async execute(entity: PardotPolledEntity): Promise<PardotPollResult> {
    let watermark = await this.watermarks.load('PARDOT', entity);
    const now = Date.now();
    const since = pollWindowStart(
      watermark,
      {
        overlapMs: this.config.PARDOT_POLL_OVERLAP_SECONDS * 1_000,
        initialLookbackMs: this.config.PARDOT_POLL_INITIAL_LOOKBACK_SECONDS * 1_000,
      },
      now,
    );
    // Pardot's time stamps are whole seconds and a prospect has no version counter: the running
    // second is left to the next poll, so a second update within it is not taken for the one read
    // (activities are never updated, so they are read up to now).
    const until = entity === 'Prospect' ? settledPollEnd(now) : new Date(now);
    const totals = { read: 0, published: 0, echoes: 0, invalid: 0 };
    const businessUnit = this.config.PARDOT_BUSINESS_UNIT_ID;
    let batch: SourceEventItem[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const fresh = entity === 'Prospect' ? await this.withoutEchoes(batch) : batch;
      totals.echoes += batch.length - fresh.length;
      totals.published += await this.publisher.publish(fresh, { onlyNewVersions: true });
      watermark = advanceWatermark(
        watermark,
        batch.map((item) => item.version.changedAt),
      );
      if (watermark !== undefined) await this.watermarks.save('PARDOT', entity, watermark);
      batch = [];
    };
    const records =
      entity === 'Prospect'
        ? this.pardot.queryProspects({
            fields: [...PARDOT_PROSPECT_FIELDS, ...this.config.PARDOT_PROSPECT_CUSTOM_FIELDS],
            updatedSince: since,
            updatedBefore: until,
            pageSize: PAGE_SIZE,
          })
        : this.pardot.queryVisitorActivities({
            fields: PARDOT_VISITOR_ACTIVITY_FIELDS,
            createdSince: since,
            pageSize: PAGE_SIZE,
          });
    for await (const record of records) {
      totals.read += 1;
      try {
        batch.push(
          entity === 'Prospect'
            ? pardotProspectSourceChange(record, businessUnit)
            : pardotVisitorActivitySourceChange(record, businessUnit),
        );
      } catch (error) {
        if (!(error instanceof InvalidSourceRecordError)) throw error;
        totals.invalid += 1;
        this.logger.error({ entity, problems: error.problems }, error.message);
      }
      if (batch.length >= PAGE_SIZE) await flush();
    }
    await flush();
    if (watermark === undefined) await this.watermarks.save('PARDOT', entity, since.getTime());
    this.metrics.readUpTo('pardot', entity, until);
    return { entity, ...totals };
  }

  /** Prospects whose `updatedAt` is the one pardot-writer's own last write got: echoes, dropped. */
  private async withoutEchoes(batch: readonly SourceEventItem[]): Promise<SourceEventItem[]> {
    const own = await this.ownWrites.lastWrites(batch.map((item) => item.change.recordId));
    return batch.filter((item) => {
      const echo = isPardotOwnWrite(item.version.changedAt, own.get(item.change.recordId));
      if (echo) this.metrics.echoesDropped.inc({ system: 'pardot', entity: 'Prospect' });
      return !echo;
    });
  }
}
