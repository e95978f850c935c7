import { Inject, Injectable } from '@nestjs/common';
import type { InventoryLevel } from '@pardot-x3/canonical';
import {
  decideOnTick,
  decideStockLevel,
  stockLevelOfInventoryLevel,
  type StockDecision,
  type StockItemState,
  type StockPublication,
  type StockPublicationPolicy,
} from '@pardot-x3/inventory';
import type { EntityManager } from '@pardot-x3/persistence';
import { stockMetrics } from './stock-metrics.js';

/** Injection token of config/inventory.yaml (thresholds, debounce window, maxStaleness). */
export const STOCK_POLICY = Symbol.for('pardot-writer.stock-policy');

/** The independent subscribers of the stock levels, each with its own consumer group and state. */
export type StockSubscriber = 'stock-fields' | 'stock-webhook';

interface StateRow {
  item_code: string;
  site: string;
  state: StockItemState;
}

const keyOf = (itemCode: string, site: string): string => `${itemCode}\u0000${site}`;

/** A subscriber's stock levels, in one partition's order, in the consumer's transaction. */
export interface ApplyStockLevelsCommand {
  readonly subscriber: StockSubscriber;
  readonly levels: readonly InventoryLevel[];
  readonly manager: EntityManager;
}

/**
 * The debounced, thresholded fan-out of one subscriber: each stock level goes through the publication
 * decider (config/inventory.yaml) with that subscriber's state of its product and site; what the decider
 * publishes becomes the subscriber's pending publication, which its sender delivers. Everything in the
 * caller's transaction (the batch of the consumer, or a tick).
 */
@Injectable()
export class ApplyStockLevelsUseCase {
  constructor(@Inject(STOCK_POLICY) private readonly policy: StockPublicationPolicy) {}

  /** Applies levels in the order given (one partition's order: a product and site's levels in time order). */
  async execute({ subscriber, levels, manager }: ApplyStockLevelsCommand): Promise<number> {
    if (levels.length === 0) return 0;
    const keys = [
      ...new Map(levels.map((l) => [keyOf(l.itemRef, l.site), [l.itemRef, l.site] as const])).values(),
    ];
    const rows = (await manager.query(
      `SELECT item_code, site, state FROM pardot_writer_stock_state
       WHERE subscriber = $1 AND (item_code, site) IN (SELECT * FROM unnest($2::text[], $3::text[]))
       FOR UPDATE`,
      [subscriber, keys.map((k) => k[0]), keys.map((k) => k[1])],
    )) as StateRow[];
    const states = new Map(rows.map((row) => [keyOf(row.item_code, row.site), row.state]));
    const published = new Map<string, StockPublication>();
    for (const level of levels) {
      const key = keyOf(level.itemRef, level.site);
      const decision = decideStockLevel(states.get(key), stockLevelOfInventoryLevel(level), this.policy);
      states.set(key, decision.state);
      if (decision.publication) published.set(key, decision.publication);
    }
    await this.saveStates(
      subscriber,
      keys.map(([item, site]) => [item, site, states.get(keyOf(item, site))]),
      manager,
    );
    await this.publish(subscriber, [...published.values()], manager);
    return published.size;
  }

  /**
   * Publishes the waiting changes whose debounce window or maxStaleness has passed. The clock is the
   * later of now and the product's newest stock time, so a clock difference with X3 cannot hold a
   * change back.
   */
  async tick(subscriber: StockSubscriber, manager: EntityManager, limit = 1_000): Promise<number> {
    const rows = (await manager.query(
      `SELECT item_code, site, state FROM pardot_writer_stock_state
       WHERE subscriber = $1 AND pending_since IS NOT NULL
       ORDER BY pending_since LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [subscriber, limit],
    )) as StateRow[];
    if (rows.length === 0) return 0;
    const decisions: StockDecision[] = rows.map((row) =>
      decideOnTick(row.state, Math.max(Date.now(), row.state.latest.observedAt), this.policy),
    );
    await this.saveStates(
      subscriber,
      rows.map((row, i) => [row.item_code, row.site, decisions[i]?.state]),
      manager,
    );
    const publications = decisions.flatMap((d) => (d.publication ? [d.publication] : []));
    await this.publish(subscriber, publications, manager);
    return publications.length;
  }

  private async saveStates(
    subscriber: StockSubscriber,
    entries: readonly (readonly [string, string, StockItemState | undefined])[],
    manager: EntityManager,
  ): Promise<void> {
    const present = entries.filter((e): e is readonly [string, string, StockItemState] => e[2] !== undefined);
    if (present.length === 0) return;
    await manager.query(
      `INSERT INTO pardot_writer_stock_state (subscriber, item_code, site, state, pending_since)
       SELECT $1, u.item_code, u.site, u.state, u.pending_since
       FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::timestamptz[]) AS u(item_code, site, state, pending_since)
       ON CONFLICT (subscriber, item_code, site)
       DO UPDATE SET state = EXCLUDED.state, pending_since = EXCLUDED.pending_since`,
      [
        subscriber,
        present.map((e) => e[0]),
        present.map((e) => e[1]),
        present.map((e) => JSON.stringify(e[2])),
        present.map((e) => (e[2].pendingSince !== undefined ? new Date(e[2].pendingSince) : null)),
      ],
    );
  }

  private async publish(
    subscriber: StockSubscriber,
    publications: readonly StockPublication[],
    manager: EntityManager,
  ): Promise<void> {
    if (publications.length === 0) return;
    await manager.query(
      `INSERT INTO pardot_writer_stock_publication
         (subscriber, item_code, site, available, physical, measured_at, reason, version, delivered_version, attempts, next_attempt_at)
       SELECT $1, u.item_code, u.site, u.available, u.physical, u.measured_at, u.reason, 1, 0, 0, now()
       FROM unnest($2::text[], $3::text[], $4::numeric[], $5::numeric[], $6::timestamptz[], $7::text[])
         AS u(item_code, site, available, physical, measured_at, reason)
       ON CONFLICT (subscriber, item_code, site) DO UPDATE SET
         available = EXCLUDED.available, physical = EXCLUDED.physical, measured_at = EXCLUDED.measured_at,
         reason = EXCLUDED.reason, version = pardot_writer_stock_publication.version + 1,
         attempts = 0, next_attempt_at = now(), last_error = NULL`,
      [
        subscriber,
        publications.map((p) => p.itemCode),
        publications.map((p) => p.site),
        publications.map((p) => String(p.available)),
        publications.map((p) => String(p.physical)),
        publications.map((p) => new Date(p.observedAt)),
        publications.map((p) => p.reason),
      ],
    );
    const metrics = stockMetrics();
    for (const p of publications) metrics.publications.inc({ subscriber, reason: p.reason });
  }
}
