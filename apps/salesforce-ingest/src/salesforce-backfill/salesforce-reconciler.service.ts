import { Inject, Injectable, Logger } from '@nestjs/common';
import { sourceMetrics } from '@pardot-x3/connector-kit';
import { pollWindowStart, settledPollEnd } from '@pardot-x3/ingestion';
import { BackgroundService, SERVICE_CONFIG, type BackgroundLoopOptions } from '@pardot-x3/service-runtime';
import type { SalesforceIngestConfig } from '../salesforce-ingest.config.js';
import { SalesforceRecordReader } from '../salesforce-reads/salesforce-record.reader.js';
import { PollWatermarkStore } from '../source-events/poll-watermark.store.js';
import { SourceEventPublisher } from '../source-events/source-event.publisher.js';

/** Re-read before the watermark on every reconciliation (SystemModstamp is whole seconds; late commits). */
const OVERLAP_MS = 60_000;

/**
 * The periodic SOQL poller (SALESFORCE_RECONCILE_INTERVAL_MS > 0): every interval, each ingested
 * object's records changed since its watermark (minus an overlap) are read by SystemModstamp and their
 * new versions published — a safety net beside CDC (objects not selected for CDC, a change event lost
 * while the streaming connection was down), at the price of one SOQL query per object and interval.
 * Our own writes read this way cannot be told from others' (no changeOrigin in a REST read); they carry
 * the values the golden record already has, so mdm changes nothing and no write follows.
 */
@Injectable()
export class SalesforceReconcilerService extends BackgroundService {
  private readonly logger = new Logger(SalesforceReconcilerService.name);

  constructor(
    private readonly reader: SalesforceRecordReader,
    private readonly publisher: SourceEventPublisher,
    private readonly watermarks: PollWatermarkStore,
    @Inject(SERVICE_CONFIG) private readonly config: SalesforceIngestConfig,
  ) {
    super();
  }

  protected loops(): readonly BackgroundLoopOptions[] {
    const intervalMs = this.config.SALESFORCE_RECONCILE_INTERVAL_MS;
    if (intervalMs <= 0) return [];
    return [
      {
        name: 'salesforce-reconcile',
        intervalMs,
        run: (signal) => this.reconcileAll(signal),
        onError: (_error, retryInMs) =>
          this.logger.warn(`Salesforce reconciliation incomplete; trying again in ${retryInMs} ms`),
      },
    ];
  }

  /** One round over every ingested object; one object failing does not hold the others back. */
  private async reconcileAll(signal: AbortSignal): Promise<void> {
    const failed: string[] = [];
    for (const sobject of this.config.SALESFORCE_SOURCE_OBJECTS) {
      if (signal.aborted) return;
      try {
        await this.reconcile(sobject);
      } catch (error) {
        failed.push(sobject);
        this.logger.error({ err: error, sobject }, 'Salesforce reconciliation failed');
      }
    }
    if (failed.length > 0) throw new Error(`Salesforce reconciliation failed for ${failed.join(', ')}`);
  }

  private async reconcile(sobject: (typeof this.config.SALESFORCE_SOURCE_OBJECTS)[number]): Promise<void> {
    let watermark = await this.watermarks.load('SALESFORCE', sobject);
    const now = Date.now();
    const since = pollWindowStart(watermark, { overlapMs: OVERLAP_MS, initialLookbackMs: OVERLAP_MS }, now);
    // SystemModstamp is whole seconds and the version store keys on it: a second still running is
    // left to the next round, so a second edit within it is not mistaken for the version read.
    const until = settledPollEnd(now);
    let published = 0;
    for await (const page of this.reader.window(sobject, since, until, 'POLL')) {
      published += await this.publisher.publish(page, { onlyNewVersions: true });
      for (const { version } of page)
        if (watermark === undefined || version.changedAt > watermark) watermark = version.changedAt;
      if (watermark !== undefined) await this.watermarks.save('SALESFORCE', sobject, watermark);
    }
    if (watermark === undefined) await this.watermarks.save('SALESFORCE', sobject, since.getTime());
    sourceMetrics().readUpTo('salesforce', sobject, until);
    if (published > 0) this.logger.log({ sobject, published }, 'Salesforce reconciliation published changes');
  }
}
