import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Prospect } from '@pardot-x3/canonical';
import {
  matchKeysForObservation,
  normaliseEmail,
  withLearntCrossReference,
  type CustomerMasterPolicies,
  type GoldenCustomer,
} from '@pardot-x3/customer-master';
import type { EntityManager } from 'typeorm';
import { CUSTOMER_MASTER_POLICIES } from '../customer-policies/customer-policies.module.js';
import {
  GoldenCustomerStore,
  sourceRecordKey,
  type SourceRecordRef,
  type SourceRecordRow,
} from '../customer-mastering/golden-customer.store.js';

/**
 * A prospect pardot-writer upserted for a golden record: its Pardot id joins the golden record's
 * cross-references, so the prospect is recognised (by identity) when the Pardot poller reads it and
 * the next writes go to it by id. The values we wrote are remembered as the prospect's known state, so
 * reading them back is no news. No new version is published: Pardot holds the values already, the
 * next version carries the id, and x3-order-writer learns the link from the same
 * `pardot.prospect.upserted.v1` event (docs/customer-master.md).
 */
/** Upserted prospects of one partition, in offset order, to link in the caller's transaction (`manager`). */
export interface LinkPardotProspectsCommand {
  readonly manager: EntityManager;
  readonly prospects: readonly Prospect[];
}

@Injectable()
export class LinkPardotProspectUseCase {
  private readonly logger = new Logger(LinkPardotProspectUseCase.name);

  constructor(
    private readonly store: GoldenCustomerStore,
    @Inject(CUSTOMER_MASTER_POLICIES) private readonly policies: CustomerMasterPolicies,
  ) {}

  /**
   * Prospects (a batch, in offset order) in a fixed number of statements whatever their number: their
   * match keys locked at once, their source records and golden records read at once, each decided in
   * order against the result of the previous ones, the new source records and the golden records that
   * gained a cross-reference written with one statement each. Returns, per prospect, whether its golden
   * record gained the cross-reference.
   */
  async execute(command: LinkPardotProspectsCommand): Promise<boolean[]> {
    const { manager, prospects } = command;
    if (prospects.length === 0) return [];
    const refs = prospects.map(
      (prospect) => ({ system: 'PARDOT', entity: 'Prospect', sourceId: prospect.prospectId }) as const,
    );
    await this.store.lockMatchKeys(
      manager,
      refs.flatMap((ref) =>
        matchKeysForObservation(
          { sourceSystem: 'PARDOT', sourceEntity: 'Prospect', sourceId: ref.sourceId, observedAt: 0 },
          this.policies.matching,
        ),
      ),
    );
    const sources = await this.store.findSourceRecords(manager, refs);
    const goldens = await this.store.resolveActiveAll(
      manager,
      prospects.map((prospect) => prospect.goldenId),
    );
    const newSources = new Map<string, { ref: SourceRecordRef; row: SourceRecordRow }>();
    const changed = new Map<string, GoldenCustomer>();
    const results = prospects.map((prospect, index) => {
      const ref = refs[index] as SourceRecordRef;
      const key = sourceRecordKey(ref);
      const stored = goldens.get(prospect.goldenId);
      if (!stored || stored.state !== 'active') {
        this.logger.warn(
          { goldenId: prospect.goldenId },
          'prospect upserted for a golden record that no longer exists',
        );
        return false;
      }
      const golden = changed.get(stored.golden.goldenId) ?? stored.golden;
      const existing = sources.get(key);
      if (existing && existing.goldenId !== golden.goldenId && !existing.deleted) {
        this.logger.warn(
          { prospectId: ref.sourceId, goldenId: golden.goldenId, linkedTo: existing.goldenId },
          'Pardot prospect already belongs to another golden record; not linked again',
        );
        return false;
      }
      if (!existing) {
        const row: SourceRecordRow = {
          goldenId: golden.goldenId,
          deleted: false,
          state: {
            observedAt: prospect.upsertedAt.getTime(),
            fields: {
              email: normaliseEmail(prospect.email),
              ...(prospect.firstName !== null && { firstName: prospect.firstName }),
              ...(prospect.lastName !== null && { lastName: prospect.lastName }),
              ...(prospect.company !== null && { companyName: prospect.company }),
            },
          },
        };
        sources.set(key, row);
        newSources.set(key, { ref, row });
      }
      const linked = withLearntCrossReference(golden, ref);
      if (linked) changed.set(golden.goldenId, linked);
      return linked !== undefined;
    });
    await this.store.saveSourceRecords(manager, [...newSources.values()]);
    await this.store.saveGoldens(
      manager,
      [...changed.values()].map((golden) => ({ golden, state: 'active' as const, mergedInto: null })),
      this.policies.matching,
    );
    return results;
  }
}
