import { Injectable } from '@nestjs/common';
import type { GoldenCustomer, SourceEntity, SourceSystem } from '@pardot-x3/customer-master';
import { ENTITIES_BY_SYSTEM, SOURCE_SYSTEMS } from '@pardot-x3/customer-master';
import { DataSource } from 'typeorm';
import { GoldenCustomerStore } from '../customer-mastering/golden-customer.store.js';

/** How a caller names a customer. */
export type GoldenCustomerQuery =
  | { readonly goldenId: string }
  | { readonly email: string }
  | { readonly system: string; readonly entity: string; readonly sourceId: string };

export type GoldenCustomerLookup =
  | { readonly outcome: 'found'; readonly golden: GoldenCustomer }
  /** The id was merged into another golden record (follow it). */
  | { readonly outcome: 'merged'; readonly survivorGoldenId: string }
  | { readonly outcome: 'not-found'; readonly reason: string };

/**
 * Finds a golden record by its id, by email (normalised), or by any cross-referenced source record
 * (X3 customer code, Salesforce Lead/Contact/Account id, Pardot prospect id).
 */
@Injectable()
export class FindGoldenCustomerUseCase {
  constructor(
    private readonly store: GoldenCustomerStore,
    private readonly dataSource: DataSource,
  ) {}

  async execute(query: GoldenCustomerQuery): Promise<GoldenCustomerLookup> {
    const manager = this.dataSource.manager;
    if ('goldenId' in query) {
      const stored = await this.store.get(manager, query.goldenId);
      if (!stored) return { outcome: 'not-found', reason: `there is no golden customer ${query.goldenId}` };
      if (stored.state === 'merged') {
        const survivor = await this.store.resolveActive(manager, query.goldenId);
        if (survivor) return { outcome: 'merged', survivorGoldenId: survivor.golden.goldenId };
      }
      return { outcome: 'found', golden: stored.golden };
    }
    if ('email' in query) {
      const golden = await this.store.findActiveByEmail(manager, query.email);
      return golden
        ? { outcome: 'found', golden }
        : { outcome: 'not-found', reason: 'no golden customer has this email' };
    }
    const system = SOURCE_SYSTEMS.find((s) => s === query.system.toUpperCase()) as SourceSystem | undefined;
    const entity = system
      ? (ENTITIES_BY_SYSTEM[system].find((e) => e.toLowerCase() === query.entity.toLowerCase()) as
          SourceEntity | undefined)
      : undefined;
    if (!system || !entity)
      return {
        outcome: 'not-found',
        reason: `${query.system} ${query.entity} is not a customer source (X3 BPCUSTOMER, SALESFORCE Lead/Contact/Account, PARDOT Prospect)`,
      };
    const row = await this.store.findSourceRecord(manager, { system, entity, sourceId: query.sourceId });
    if (!row)
      return {
        outcome: 'not-found',
        reason: `${system} ${entity} ${query.sourceId} is not cross-referenced`,
      };
    const stored = await this.store.resolveActive(manager, row.goldenId);
    return stored
      ? { outcome: 'found', golden: stored.golden }
      : {
          outcome: 'not-found',
          reason: `the golden record of ${system} ${entity} ${query.sourceId} is gone`,
        };
  }
}
