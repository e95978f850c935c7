import { Inject, Injectable } from '@nestjs/common';
import { x3CustomerTurnover, type X3SourceChange } from '@pardot-x3/ingestion';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { X3Client, x3Equals } from '@pardot-x3/x3-connector';
import pLimit from 'p-limit';
import type { X3IngestConfig } from '../x3-ingest.config.js';

/** Sales-order queries run at once while enriching a batch of customers. */
const CONCURRENT_QUERIES = 4;

/**
 * Adds each customer's turnover and last order date (YTOTREVENUE, YTOTREVCUR, YLASTORDDAT, from its
 * SORDER orders) and when it last changed (YCHGDATTIM) to customer source events, where the
 * `x3-customer-to-canonical` template reads them.
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
    const limit = pLimit(CONCURRENT_QUERIES);
    return Promise.all(
      changes.map((item) =>
        item.change.entity !== 'BPCUSTOMER' ||
        item.change.changeType === 'DELETED' ||
        'YCHGDATTIM' in item.change.fields
          ? item
          : limit(() => this.enrichOne(item)),
      ),
    );
  }

  private async enrichOne(item: X3SourceChange): Promise<X3SourceChange> {
    const orders = [];
    for await (const order of this.x3.query({
      className: 'SORDER',
      where: x3Equals('BPCORD', item.change.recordId),
      pageSize: 200,
    }))
      orders.push(order);
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
}
