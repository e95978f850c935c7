import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { signWebhook } from '@pardot-x3/access';
import type { EntityManager } from '@pardot-x3/persistence';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import { stockMetrics } from '../stock-subscription/stock-metrics.js';
import { STOCK_WEBHOOK_HEADERS } from './stock-webhook-headers.constants.js';

interface PublicationRow {
  item_code: string;
  site: string;
  available: string;
  physical: string;
  measured_at: Date;
  reason: string;
  version: string;
  attempts: number;
}

const SUBSCRIBER = 'stock-webhook';

/** One stock level as the webhook receiver gets it. */
export interface StockWebhookLevel {
  readonly itemRef: string;
  readonly site: string;
  /** Decimal text, e.g. "123.5". */
  readonly availableStock: string;
  readonly physicalStock: string;
  /** X3's time of the figure (whole seconds in X3: two levels may share it). */
  readonly measuredAt: string;
  /**
   * Grows with every level published for this product and site: apply a level only if its version
   * is higher than the one you hold (a retried call may arrive after a newer one).
   */
  readonly version: number;
  readonly reason: string;
}

/** One round of stock webhook deliveries, in the caller's transaction. */
export interface DeliverStockWebhookCommand {
  readonly manager: EntityManager;
}

/**
 * Posts the published stock levels that are due to the e-commerce webhook (STOCK_WEBHOOK_URL), up to
 * STOCK_WEBHOOK_BATCH_SIZE per call, HMAC-signed. A 2xx answer delivers them; anything else (or no
 * answer within STOCK_WEBHOOK_TIMEOUT_MS) keeps them and tries again after an exponential back-off with
 * jitter, never giving up: a newer level of the same product replaces one not yet delivered.
 */
@Injectable()
export class DeliverStockWebhookUseCase {
  private readonly logger = new Logger(DeliverStockWebhookUseCase.name);

  constructor(@Inject(SERVICE_CONFIG) private readonly config: PardotWriterConfig) {}

  async execute({ manager }: DeliverStockWebhookCommand): Promise<number> {
    const url = this.config.STOCK_WEBHOOK_URL;
    const secret = this.config.STOCK_WEBHOOK_SECRET;
    if (!url || !secret) return 0;
    const rows = (await manager.query(
      `SELECT item_code, site, available, physical, measured_at, reason, version, attempts
       FROM pardot_writer_stock_publication
       WHERE subscriber = $1 AND version > delivered_version AND next_attempt_at <= now()
       ORDER BY next_attempt_at, item_code, site LIMIT $2
       FOR UPDATE SKIP LOCKED`,
      [SUBSCRIBER, this.config.STOCK_WEBHOOK_BATCH_SIZE],
    )) as PublicationRow[];
    if (rows.length === 0) return 0;
    const deliveryId = randomUUID();
    const levels: StockWebhookLevel[] = rows.map((row) => ({
      itemRef: row.item_code,
      site: row.site,
      availableStock: decimal(row.available),
      physicalStock: decimal(row.physical),
      measuredAt: row.measured_at.toISOString(),
      version: Number(row.version),
      reason: row.reason,
    }));
    const body = JSON.stringify({ deliveryId, sentAt: new Date().toISOString(), levels });
    const timestamp = String(Math.floor(Date.now() / 1_000));
    let failure: string | undefined;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [STOCK_WEBHOOK_HEADERS.deliveryId]: deliveryId,
          [STOCK_WEBHOOK_HEADERS.timestamp]: timestamp,
          [STOCK_WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(this.config.STOCK_WEBHOOK_TIMEOUT_MS),
      });
      if (!response.ok) failure = `HTTP ${response.status}`;
      await response.body?.cancel();
    } catch (error) {
      failure = (error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message;
    }
    const metrics = stockMetrics();
    if (failure === undefined) {
      await manager.query(
        `UPDATE pardot_writer_stock_publication p SET delivered_version = u.version, attempts = 0, last_error = NULL
         FROM unnest($2::text[], $3::text[], $4::bigint[]) AS u(item_code, site, version)
         WHERE p.subscriber = $1 AND p.item_code = u.item_code AND p.site = u.site`,
        [SUBSCRIBER, rows.map((r) => r.item_code), rows.map((r) => r.site), rows.map((r) => r.version)],
      );
      metrics.deliveries.inc({ subscriber: SUBSCRIBER, outcome: 'delivered' }, rows.length);
      return rows.length;
    }
    const attempts = Math.max(...rows.map((r) => r.attempts)) + 1;
    const delayMs = this.backoff(attempts);
    await manager.query(
      `UPDATE pardot_writer_stock_publication SET attempts = attempts + 1, last_error = $4,
         next_attempt_at = now() + ($5 || ' milliseconds')::interval
       WHERE subscriber = $1 AND (item_code, site) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [
        SUBSCRIBER,
        rows.map((r) => r.item_code),
        rows.map((r) => r.site),
        failure.slice(0, 200),
        String(delayMs),
      ],
    );
    metrics.deliveries.inc({ subscriber: SUBSCRIBER, outcome: 'failed' }, rows.length);
    this.logger.warn(
      { deliveryId, levels: rows.length, attempts, retryInMs: delayMs, error: failure },
      'stock webhook call failed; the levels are kept and sent again',
    );
    // Handled for this round: the next round takes other due levels, these wait for their back-off.
    return 0;
  }

  /** Full jitter over an exponential ceiling: base·2^(n-1), capped. */
  private backoff(attempts: number): number {
    const ceiling = Math.min(
      this.config.STOCK_WEBHOOK_RETRY_MAX_MS,
      this.config.STOCK_WEBHOOK_RETRY_BASE_MS * 2 ** Math.min(30, attempts - 1),
    );
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}

function decimal(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
