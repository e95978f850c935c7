import type { StockItemState } from '@pardot-x3/inventory';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What one stock subscriber knows of one product at one site: the latest level and what it last
 * published (the state of the publication decider, config/inventory.yaml). Each subscriber keeps its
 * own, so their debouncing is independent.
 */
@Entity({ name: 'pardot_writer_stock_state' })
export class StockSubscriptionStateEntity {
  /** `stock-fields` or `stock-webhook`. */
  @PrimaryColumn({ name: 'subscriber', type: 'text' })
  subscriber!: string;

  @PrimaryColumn({ name: 'item_code', type: 'text' })
  itemCode!: string;

  @PrimaryColumn({ name: 'site', type: 'text' })
  site!: string;

  @Column({ name: 'state', type: 'jsonb' })
  state!: StockItemState;

  /** Since when a change waits for its debounce window or for maxStaleness (null: nothing waits). */
  @Column({ name: 'pending_since', type: 'timestamptz', nullable: true })
  pendingSince!: Date | null;
}
