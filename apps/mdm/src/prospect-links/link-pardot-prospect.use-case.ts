import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Prospect } from '@pardot-x3/canonical';
import {
  matchKeysForObservation,
  normaliseEmail,
  withLearntCrossReference,
  type CustomerMasterPolicies,
} from '@pardot-x3/customer-master';
import type { EntityManager } from 'typeorm';
import { CUSTOMER_MASTER_POLICIES } from '../customer-policies/customer-policies.module.js';
import { GoldenCustomerStore } from '../customer-mastering/golden-customer.store.js';

/**
 * A prospect pardot-writer upserted for a golden record: its Pardot id joins the golden record's
 * cross-references, so the prospect is recognised (by identity) when the Pardot poller reads it and
 * the next writes go to it by id. The values we wrote are remembered as the prospect's known state, so
 * reading them back is no news. No new version is published: Pardot holds the values already, the
 * next version carries the id, and x3-order-writer learns the link from the same
 * `pardot.prospect.upserted.v1` event (docs/customer-master.md).
 */
@Injectable()
export class LinkPardotProspectUseCase {
  private readonly logger = new Logger(LinkPardotProspectUseCase.name);

  constructor(
    private readonly store: GoldenCustomerStore,
    @Inject(CUSTOMER_MASTER_POLICIES) private readonly policies: CustomerMasterPolicies,
  ) {}

  /** Returns whether the golden record gained the cross-reference. */
  async execute(prospect: Prospect, manager: EntityManager): Promise<boolean> {
    const ref = { system: 'PARDOT', entity: 'Prospect', sourceId: prospect.prospectId } as const;
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
      return false;
    }
    const golden = stored.golden;
    if (existing && existing.goldenId !== golden.goldenId && !existing.deleted) {
      this.logger.warn(
        { prospectId: ref.sourceId, goldenId: golden.goldenId, linkedTo: existing.goldenId },
        'Pardot prospect already belongs to another golden record; not linked again',
      );
      return false;
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
    const linked = withLearntCrossReference(golden, ref);
    if (linked) await this.store.saveGolden(manager, linked, this.policies.matching);
    return linked !== undefined;
  }
}
