import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from '@pardot-x3/persistence';
import { SALESFORCE_COLLECTION_LIMIT, SalesforceClient } from '@pardot-x3/salesforce-connector';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import { stockMetrics } from '../stock-subscription/stock-metrics.js';

interface PublicationRow {
  item_code: string;
  site: string;
  available: string;
  measured_at: Date;
  version: string;
  delivered_version: string;
}

const SUBSCRIBER = 'stock-fields';
const RETRY_AFTER_MS = 30_000;

/** One round of stock-field writes, in the caller's transaction. */
export interface WriteStockFieldsCommand {
  readonly manager: EntityManager;
}

/**
 * Sends the products whose stock was published (on any site) to Salesforce: the available stock summed
 * over the sites and the time of the newest figure, upserted by the X3 product code, up to 200 products
 * per call (sObject Collections). A product Salesforce does not have (the upsert cannot create it
 * without a name) is refused and left until its next publication; a record that may succeed later
 * (record lock) is tried again after 30 s.
 */
@Injectable()
export class WriteStockFieldsUseCase {
  private readonly logger = new Logger(WriteStockFieldsUseCase.name);

  constructor(
    private readonly salesforce: SalesforceClient,
    @Inject(SERVICE_CONFIG) private readonly config: PardotWriterConfig,
  ) {}

  /** One call's worth (≤ 200 products); resolves to the products sent. */
  async execute({ manager }: WriteStockFieldsCommand): Promise<number> {
    const rows = (await manager.query(
      `SELECT item_code, site, available, measured_at, version, delivered_version
       FROM pardot_writer_stock_publication
       WHERE subscriber = $1 AND item_code IN (
         SELECT item_code FROM pardot_writer_stock_publication
         WHERE subscriber = $1 AND version > delivered_version AND next_attempt_at <= now()
         GROUP BY item_code ORDER BY min(next_attempt_at), item_code LIMIT $2)
       ORDER BY item_code, site
       FOR UPDATE SKIP LOCKED`,
      [SUBSCRIBER, SALESFORCE_COLLECTION_LIMIT],
    )) as PublicationRow[];
    if (rows.length === 0) return 0;
    const products = new Map<string, { available: number; measuredAt: number; sites: PublicationRow[] }>();
    for (const row of rows) {
      const product = products.get(row.item_code) ?? { available: 0, measuredAt: 0, sites: [] };
      product.available += Number(row.available);
      product.measuredAt = Math.max(product.measuredAt, row.measured_at.getTime());
      product.sites.push(row);
      products.set(row.item_code, product);
    }
    const items = [...products.entries()];
    const {
      STOCK_FIELDS_SOBJECT: sobject,
      STOCK_FIELDS_EXTERNAL_ID: externalId,
      STOCK_FIELDS_AVAILABLE: available,
      STOCK_FIELDS_UPDATED_AT: updatedAt,
    } = this.config;
    const results = await this.salesforce.upsertMany(
      sobject,
      externalId,
      items.map(([item, product]) => ({
        [externalId]: item,
        [available]: Math.round(product.available * 10_000) / 10_000,
        ...(updatedAt ? { [updatedAt]: new Date(product.measuredAt).toISOString() } : {}),
      })),
    );
    const done: PublicationRow[] = [];
    const later: PublicationRow[] = [];
    const outcomes = { delivered: 0, refused: 0, failed: 0 };
    for (const result of results) {
      const [item, product] = items[result.index] ?? [];
      if (!item || !product) continue;
      if (result.success) {
        outcomes.delivered += 1;
        done.push(...product.sites);
      } else if (result.retryable) {
        outcomes.failed += 1;
        later.push(...product.sites);
      } else {
        // Left until the product's next publication: retrying cannot help.
        outcomes.refused += 1;
        done.push(...product.sites);
        this.logger.debug(
          { item, errors: result.errors.map((e) => e.errorCode) },
          'Salesforce refused the stock of a product (not in Salesforce?)',
        );
      }
    }
    await this.markDelivered(done, manager);
    if (later.length > 0)
      await manager.query(
        `UPDATE pardot_writer_stock_publication SET attempts = attempts + 1,
           next_attempt_at = now() + ($4 || ' milliseconds')::interval, last_error = 'record lock'
         WHERE subscriber = $1 AND (item_code, site) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
        [SUBSCRIBER, later.map((r) => r.item_code), later.map((r) => r.site), String(RETRY_AFTER_MS)],
      );
    const metrics = stockMetrics();
    for (const [outcome, count] of Object.entries(outcomes))
      if (count > 0) metrics.deliveries.inc({ subscriber: SUBSCRIBER, outcome }, count);
    return items.length;
  }

  private async markDelivered(rows: readonly PublicationRow[], manager: EntityManager): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `UPDATE pardot_writer_stock_publication p SET delivered_version = u.version, attempts = 0, last_error = NULL
       FROM unnest($2::text[], $3::text[], $4::bigint[]) AS u(item_code, site, version)
       WHERE p.subscriber = $1 AND p.item_code = u.item_code AND p.site = u.site`,
      [SUBSCRIBER, rows.map((r) => r.item_code), rows.map((r) => r.site), rows.map((r) => r.version)],
    );
  }
}
