import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { pollWindowStart, settledPollEnd } from '@pardot-x3/ingestion';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SalesforceIngestConfig } from '../salesforce-ingest.config.js';
import { SalesforceRecordReader } from '../salesforce-reads/salesforce-record.reader.js';
import { PollWatermarkStore } from '../source-events/poll-watermark.store.js';
import { SourceEventPublisher } from '../source-events/source-event.publisher.js';
import { sourceMetrics } from '@pardot-x3/connector-kit';

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
export class SalesforceReconcilerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SalesforceReconcilerService.name);
  private readonly abort = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly reader: SalesforceRecordReader,
    private readonly publisher: SourceEventPublisher,
    private readonly watermarks: PollWatermarkStore,
    @Inject(SERVICE_CONFIG) private readonly config: SalesforceIngestConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SALESFORCE_RECONCILE_INTERVAL_MS > 0) this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      for (const sobject of this.config.SALESFORCE_SOURCE_OBJECTS) {
        if (signal.aborted) return;
        try {
          await this.reconcile(sobject);
        } catch (error) {
          this.logger.error(
            { err: error, sobject },
            'Salesforce reconciliation failed; next interval tries again',
          );
        }
      }
      try {
        await sleep(this.config.SALESFORCE_RECONCILE_INTERVAL_MS, undefined, { signal });
      } catch {
        return;
      }
    }
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
