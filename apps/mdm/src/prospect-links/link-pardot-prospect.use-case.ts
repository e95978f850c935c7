import { Inject, Injectable, Logger } from '@nestjs/common';
import type { GoldenCustomer as CanonicalGoldenCustomer, Prospect } from '@pardot-x3/canonical';
import {
  addCrossReference,
  goldenCustomerToCanonical,
  hasCrossReference,
  matchKeysForObservation,
  normaliseEmail,
  type CustomerMasterPolicies,
  type GoldenCustomer,
} from '@pardot-x3/customer-master';
import type { EntityManager } from 'typeorm';
import { CUSTOMER_MASTER_POLICIES } from '../customer-policies/customer-policies.module.js';
import { GoldenCustomerStore, type SourceRecordRef } from '../customer-mastering/golden-customer.store.js';

/**
 * A prospect pardot-writer upserted for a golden record: its Pardot id joins the golden record's
 * cross-references, so the prospect is recognised (by identity) when the Pardot poller reads it and
 * the next writes go to it by id. The values we wrote are remembered as the prospect's known state, so
 * reading them back is no news. Returns the golden record when it changed.
 */
@Injectable()
export class LinkPardotProspectUseCase {
  private readonly logger = new Logger(LinkPardotProspectUseCase.name);

  constructor(
    private readonly store: GoldenCustomerStore,
    @Inject(CUSTOMER_MASTER_POLICIES) private readonly policies: CustomerMasterPolicies,
  ) {}

  async execute(prospect: Prospect, manager: EntityManager): Promise<CanonicalGoldenCustomer | undefined> {
    const ref: SourceRecordRef = { system: 'PARDOT', entity: 'Prospect', sourceId: prospect.prospectId };
    await this.store.lockMatchKeys(
      manager,
      matchKeysForObservation(
        { sourceSystem: 'PARDOT', sourceEntity: 'Prospect', sourceId: ref.sourceId, observedAt: 0 },
        this.policies.matching,
      ),
    );
    const existing = await this.store.findSourceRecord(manager, ref);
    const stored = await this.store.resolveActive(manager, prospect.goldenId, true);
    if (!stored || stored.state !== 'active') {
      this.logger.warn(
        { goldenId: prospect.goldenId },
        'prospect upserted for a golden record that no longer exists',
      );
      return undefined;
    }
    const golden = stored.golden;
    if (existing && existing.goldenId !== golden.goldenId && !existing.deleted) {
      this.logger.warn(
        { prospectId: ref.sourceId, goldenId: golden.goldenId, linkedTo: existing.goldenId },
        'Pardot prospect already belongs to another golden record; not linked again',
      );
      return undefined;
    }
    const upsertedAt = prospect.upsertedAt.getTime();
    if (!existing)
      await this.store.saveSourceRecord(manager, ref, {
        goldenId: golden.goldenId,
        state: {
          observedAt: upsertedAt,
          fields: {
            email: normaliseEmail(prospect.email),
            ...(prospect.firstName !== null && { firstName: prospect.firstName }),
            ...(prospect.lastName !== null && { lastName: prospect.lastName }),
            ...(prospect.company !== null && { companyName: prospect.company }),
          },
        },
      });
    if (hasCrossReference(golden.xrefs, 'PARDOT', 'Prospect', ref.sourceId)) return undefined;
    const linked: GoldenCustomer = {
      ...golden,
      version: golden.version + 1,
      xrefs: addCrossReference(golden.xrefs, 'PARDOT', 'Prospect', ref.sourceId),
    };
    await this.store.saveGolden(manager, linked, this.policies.matching);
    return goldenCustomerToCanonical(linked);
  }
}
