import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  isX3OwnUpdate,
  x3SourceChange,
  sourceVersionIdentity,
  X3_SOURCE_CLASSES,
  type X3SourceChange,
  type X3SourceClassName,
} from '@pardot-x3/ingestion';
import { deriveEventId, outgoingEvent } from '@pardot-x3/messaging';
import { MessageProducer } from '@pardot-x3/messaging-nest';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { X3Client } from '@pardot-x3/x3-connector';
import pLimit from 'p-limit';
import { integrationUsersOf, type X3IngestConfig } from '../x3-ingest.config.js';
import { sourceMetrics } from '@pardot-x3/connector-kit';
import { X3CustomerTurnoverService } from './x3-customer-turnover.service.js';
import { X3RecordVersionStore, type VersionedRecord } from './x3-record-version.store.js';

/** Customers of changed sales orders read again at once (`$details`). */
const CONCURRENT_CUSTOMER_READS = 4;

/** What became of a batch of X3 changes. */
export interface PublishOutcome {
  /** Published to their `x3.*.changed.v1` topic. */
  readonly published: number;
  /** Versions already published (the same change by webhook and poll, an overlapping poll). */
  readonly alreadyPublished: number;
  /** Updates made by pardot-x3's own X3 users: echoes of our writes, dropped. */
  readonly echoes: number;
}

/**
 * The one way X3 changes leave x3-ingest, whichever channel read them: echoes of our own writes are
 * dropped, versions already published are skipped, customers get their turnover, and the rest go to
 * Kafka in one batch with event ids derived from the record version (so a version that is published
 * again anyway, e.g. by another replica, is skipped by consumers). Resolves once Kafka stored them.
 *
 * Publishes run one at a time: the webhook and the poll can hold two versions of one record at once,
 * and without this both would pass the "not yet published" check and the older one could reach the
 * topic last. One at a time, the later caller sees the newer version already published and skips the
 * older one, so each record's topic ends on its newest version.
 */
@Injectable()
export class X3ChangePublisher {
  private readonly logger = new Logger(X3ChangePublisher.name);
  private readonly metrics = sourceMetrics();
  private readonly integrationUsers: readonly string[];
  private readonly oneAtATime = pLimit(1);

  constructor(
    private readonly producer: MessageProducer,
    private readonly versions: X3RecordVersionStore,
    private readonly turnover: X3CustomerTurnoverService,
    private readonly x3: X3Client,
    @Inject(SERVICE_CONFIG) private readonly config: X3IngestConfig,
  ) {
    this.integrationUsers = integrationUsersOf(config);
  }

  /** The changes whose version was not published yet (to fetch details only for those). */
  async unpublished(changes: readonly X3SourceChange[]): Promise<X3SourceChange[]> {
    return this.versions.unpublished(this.config.X3_FOLDER, changes.map(versioned));
  }

  async publish(changes: readonly X3SourceChange[]): Promise<PublishOutcome> {
    return this.oneAtATime(() => this.publishNow(changes));
  }

  private async publishNow(changes: readonly X3SourceChange[]): Promise<PublishOutcome> {
    const folder = this.config.X3_FOLDER;
    const candidates = changes.map(versioned);
    const unseen = await this.versions.unpublished(folder, candidates);
    // Echoes are recorded like published versions, so a re-read of the same echo is not counted again.
    const echoes = unseen.filter((c) => isX3OwnUpdate(c.change, this.integrationUsers));
    for (const echo of echoes) this.metrics.echoesDropped.inc({ system: 'x3', entity: echo.change.entity });
    if (echoes.length > 0) {
      await this.versions.markPublished(folder, echoes);
      this.logger.debug({ echoes: echoes.length }, 'dropped updates made by pardot-x3 itself (echoes)');
    }
    const fresh = unseen.filter((c) => !echoes.includes(c));
    const alreadyPublished = candidates.length - unseen.length;
    if (fresh.length === 0) return { published: 0, alreadyPublished, echoes: echoes.length };

    const enriched = await this.turnover.enrich(fresh);
    await this.producer.sendAll(
      enriched.map(({ change, version }) =>
        outgoingEvent(X3_SOURCE_CLASSES[change.entity as X3SourceClassName].topic, change, {
          eventId: deriveEventId(sourceVersionIdentity(change, version), 'x3-ingest.source-event'),
          occurredAt: change.changedAt,
        }),
      ),
    );
    await this.versions.markPublished(folder, enriched.map(versioned));
    for (const { change } of enriched)
      this.metrics.events.inc({ system: 'x3', entity: change.entity, via: change.via.toLowerCase() });
    await this.refreshCustomersOf(enriched);
    return { published: fresh.length, alreadyPublished, echoes: echoes.length };
  }

  /**
   * A sales order that changed changes its customer's turnover: the customer is published again,
   * enriched, as of the order's change (its version is the customer's UPDTICK at the order's time, so
   * it is newer than what was published and older than the customer's next own change). Each customer
   * is read once per batch (`$details`, a few at once), and not at all when the batch published the
   * customer itself: its turnover was just read, orders included.
   */
  private async refreshCustomersOf(published: readonly X3SourceChange[]): Promise<void> {
    if (!this.turnover.enabled) return;
    const justEnriched = new Set(
      published.filter((c) => c.change.entity === 'BPCUSTOMER').map((c) => c.change.recordId),
    );
    const customers = new Set(
      published
        .filter((c) => c.change.entity === 'SORDER' && typeof c.change.fields['BPCORD'] === 'string')
        .map((c) => c.change.fields['BPCORD'] as string)
        .filter((code) => !justEnriched.has(code)),
    );
    if (customers.size === 0) return;
    const via = published[0]?.change.via === 'WEBHOOK' ? 'WEBHOOK' : 'POLL';
    const limit = pLimit(CONCURRENT_CUSTOMER_READS);
    const read = await Promise.all(
      [...customers].map((code) =>
        limit(async () => {
          try {
            const record = await this.x3.details({ className: 'BPCUSTOMER' }, code);
            return x3SourceChange({
              className: 'BPCUSTOMER',
              record,
              via,
              folder: this.config.X3_FOLDER,
              kind: 'UPDATE',
            });
          } catch (error) {
            this.logger.warn(
              { err: error, customer: code },
              'could not refresh the customer of a changed sales order',
            );
            return undefined;
          }
        }),
      ),
    );
    const refreshed = read.filter((change): change is X3SourceChange => change !== undefined);
    const enriched = await this.turnover.enrich(refreshed);
    if (enriched.length > 0) await this.publishNow(enriched);
  }
}

/** An X3 change as the version store keys it: class and record id beside the change and its version. */
function versioned<C extends X3SourceChange>(change: C): C & VersionedRecord {
  return { ...change, className: change.change.entity, recordId: change.change.recordId };
}
