import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  advanceWatermark,
  InvalidSourceRecordError,
  pollWindowStart,
  X3_SOURCE_CLASSES,
  x3SourceChange,
  type X3SourceChange,
  type X3SourceClassName,
} from '@pardot-x3/ingestion';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { X3BusinessError, X3Client } from '@pardot-x3/x3-connector';
import pLimit from 'p-limit';
import { DataSource } from 'typeorm';
import { X3ChangePublisher } from '../source-events/x3-change-publisher.service.js';
import { sourceMetrics } from '@pardot-x3/connector-kit';
import type { X3IngestConfig } from '../x3-ingest.config.js';
import { X3PollWatermarkEntity } from './x3-poll-watermark.entity.js';

/** `$details` reads at once when a poll needs lines. */
const DETAIL_READS = 4;

export interface X3PollResult {
  readonly className: X3SourceClassName;
  /** Records X3 returned for the window (changed since the watermark minus the overlap). */
  readonly read: number;
  readonly published: number;
  /** Records of the window already published before (by a webhook or an earlier poll). */
  readonly alreadyPublished: number;
  readonly echoes: number;
  /** Records that cannot become events (no key, no UPDDATTIM), logged. */
  readonly invalid: number;
  readonly since: Date;
  readonly watermark: Date | undefined;
}

/**
 * One poll of one X3 class: read every record changed since the watermark minus the overlap
 * (`UPDDATTIM ge @…@`, oldest first, page by page), publish the new versions in batches, and move the
 * watermark to the newest change time X3 reported, batch by batch, once the batch is in Kafka. A crash
 * re-reads from the last stored watermark; what was already published is recognised by its version.
 */
@Injectable()
export class PollX3ChangesUseCase {
  private readonly logger = new Logger(PollX3ChangesUseCase.name);
  private readonly metrics = sourceMetrics();

  constructor(
    private readonly x3: X3Client,
    private readonly publisher: X3ChangePublisher,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: X3IngestConfig,
  ) {}

  async execute(className: X3SourceClassName, signal?: AbortSignal): Promise<X3PollResult> {
    const startedAt = new Date();
    const folder = this.config.X3_FOLDER;
    const repository = this.dataSource.getRepository(X3PollWatermarkEntity);
    const stored = await repository.findOneBy({ folder, className });
    let watermark = stored?.watermark.getTime();
    const since = pollWindowStart(
      watermark,
      {
        overlapMs: this.config.X3_POLL_OVERLAP_SECONDS * 1_000,
        initialLookbackMs: this.config.X3_POLL_INITIAL_LOOKBACK_SECONDS * 1_000,
      },
      Date.now(),
    );
    const totals = { read: 0, published: 0, alreadyPublished: 0, echoes: 0, invalid: 0 };
    let batch: X3SourceChange[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const outcome = await this.publisher.publish(await this.withLines(className, batch));
      totals.published += outcome.published;
      totals.alreadyPublished += outcome.alreadyPublished;
      totals.echoes += outcome.echoes;
      watermark = advanceWatermark(
        watermark,
        batch.map((c) => c.version.changedAt),
      );
      if (watermark !== undefined)
        await repository.save({ folder, className, watermark: new Date(watermark), polledAt: new Date() });
      batch = [];
    };
    const keyProperty = X3_SOURCE_CLASSES[className].keyFields[0];
    for await (const record of this.x3.changedSince({
      className,
      since,
      keyProperty,
      pageSize: this.config.X3_POLL_PAGE_SIZE,
    })) {
      totals.read += 1;
      try {
        batch.push(x3SourceChange({ className, record, via: 'POLL', folder }));
      } catch (error) {
        if (!(error instanceof InvalidSourceRecordError)) throw error;
        totals.invalid += 1;
        this.logger.error({ className, problems: error.problems }, error.message);
      }
      if (batch.length >= this.config.X3_POLL_PAGE_SIZE) await flush();
      if (signal?.aborted) break;
    }
    await flush();
    await repository.save({
      folder,
      className,
      watermark: new Date(watermark ?? since.getTime()),
      polledAt: new Date(),
    });
    this.metrics.readUpTo('x3', className, startedAt);
    return {
      className,
      ...totals,
      since,
      watermark: watermark === undefined ? undefined : new Date(watermark),
    };
  }

  /**
   * `$query` rows carry no lines: the new versions of classes with lines (SORDER, SDELIVERY) are read
   * again with `$details`. A record changed again in between is published at its newer version, which
   * the next poll then recognises.
   */
  private async withLines(className: X3SourceClassName, batch: X3SourceChange[]): Promise<X3SourceChange[]> {
    if (!X3_SOURCE_CLASSES[className].lines) return batch;
    const fresh = await this.publisher.unpublished(batch);
    const limit = pLimit(DETAIL_READS);
    const read = await Promise.all(
      fresh.map((item) =>
        limit(async () => {
          try {
            const record = await this.x3.details({ className }, item.change.recordId);
            return x3SourceChange({ className, record, via: 'POLL', folder: this.config.X3_FOLDER });
          } catch (error) {
            if (!(error instanceof X3BusinessError && error.businessKind === 'record-not-found')) throw error;
            this.logger.warn(
              { className, recordId: item.change.recordId },
              'X3 record gone before its details were read',
            );
            return undefined;
          }
        }),
      ),
    );
    return read.filter((change): change is X3SourceChange => change !== undefined);
  }
}
