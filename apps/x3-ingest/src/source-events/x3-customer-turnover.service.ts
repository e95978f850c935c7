import { Inject, Injectable } from '@nestjs/common';
import { x3CustomerTurnover, type X3SourceChange } from '@pardot-x3/ingestion';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { X3Client, x3EqualsAny, type X3Resource } from '@pardot-x3/x3-connector';
import pLimit from 'p-limit';
import type { X3IngestConfig } from '../x3-ingest.config.js';

/** Sales-order queries run at once while enriching a batch of customers. */
const CONCURRENT_QUERIES = 4;
/** Customers per sales-order query (`BPCORD eq 'a' or BPCORD eq 'b' …`, in the URL). */
const CUSTOMERS_PER_QUERY = 25;

/**
 * Adds each customer's turnover and last order date (YTOTREVENUE, YTOTREVCUR, YLASTORDDAT, from its
 * SORDER orders) and when it last changed (YCHGDATTIM) to customer source events, where the
 * `x3-customer-to-canonical` template reads them. The orders of a batch's customers are read together:
 * one `$query` per 25 distinct customers (at most 4 at once), whatever the number of changes.
 */
@Injectable()
export class X3CustomerTurnoverService {
  constructor(
    private readonly x3: X3Client,
    @Inject(SERVICE_CONFIG) private readonly config: X3IngestConfig,
  ) {}

  get enabled(): boolean {
    return this.config.X3_CUSTOMER_TURNOVER;
  }

  /**
   * The customer changes with their turnover fields added (other classes, and customers already
   * enriched, unchanged). The change time becomes `YCHGDATTIM`: the customer as enriched changed when
   * it or its newest order did.
   */
  async enrich(changes: readonly X3SourceChange[]): Promise<X3SourceChange[]> {
    if (!this.enabled) return [...changes];
    const toEnrich = (item: X3SourceChange): boolean =>
      item.change.entity === 'BPCUSTOMER' &&
      item.change.changeType !== 'DELETED' &&
      !('YCHGDATTIM' in item.change.fields);
    const orders = await this.ordersOf([...new Set(changes.filter(toEnrich).map((c) => c.change.recordId))]);
    return changes.map((item) =>
      toEnrich(item) ? withTurnover(item, orders.get(item.change.recordId) ?? []) : item,
    );
  }

  /** The sales orders of each customer (`BPCORD`), read in a few `$query` calls. */
  private async ordersOf(customers: readonly string[]): Promise<Map<string, X3Resource[]>> {
    const byCustomer = new Map<string, X3Resource[]>(customers.map((code) => [code, []]));
    const limit = pLimit(CONCURRENT_QUERIES);
    const chunks: string[][] = [];
    for (let i = 0; i < customers.length; i += CUSTOMERS_PER_QUERY)
      chunks.push(customers.slice(i, i + CUSTOMERS_PER_QUERY));
    await Promise.all(
      chunks.map((chunk) =>
        limit(async () => {
          for await (const order of this.x3.query({
            className: 'SORDER',
            where: x3EqualsAny('BPCORD', chunk),
            pageSize: 200,
          })) {
            const customer = order['BPCORD'];
            if (typeof customer === 'string') byCustomer.get(customer)?.push(order);
          }
        }),
      ),
    );
    return byCustomer;
  }
}

function withTurnover(item: X3SourceChange, orders: readonly X3Resource[]): X3SourceChange {
  const currency = item.change.fields['CUR'];
  const turnover = x3CustomerTurnover(
    orders,
    typeof currency === 'string' ? currency : null,
    item.version.changedAt,
  );
  return {
    change: {
      ...item.change,
      changedAt: new Date(turnover.changedAt),
      fields: { ...item.change.fields, ...turnover.fields },
    },
    version: { ...item.version, changedAt: turnover.changedAt },
  };
}
