import { Injectable } from '@nestjs/common';
import type { GoldenCustomer } from '@pardot-x3/canonical';
import type { EntityManager } from '@pardot-x3/persistence';
import { GoldenCustomerCopyEntity } from './golden-customer-copy.entity.js';

/** A golden customer as x3-order-writer knows it. */
export interface KnownCustomer {
  readonly goldenId: string;
  readonly x3CustomerCodes: readonly string[];
  readonly pardotProspectIds: readonly string[];
  /** The canonical record as JSON, the input of the `golden-to-x3-customer` template. */
  readonly record: Record<string, unknown>;
}

/** What changed in the directory when a golden record was applied or removed. */
export interface DirectoryChange {
  readonly applied: boolean;
  /** X3 customers whose prospects changed (before or after): their engagement score must be recomputed. */
  readonly rescore: readonly string[];
  /** The prospects of those customers' golden record, before and after. */
  readonly prospects: readonly string[];
}

/**
 * The golden customers' cross-references in x3-order-writer's own tables (services talk only over
 * Kafka: this is fed by the compacted mastered-customer topic). Every method works in the caller's
 * transaction.
 */
@Injectable()
export class CustomerDirectory {
  /** Applies a golden record unless a newer version is already known. */
  async record(manager: EntityManager, golden: GoldenCustomer): Promise<DirectoryChange> {
    const repository = manager.getRepository(GoldenCustomerCopyEntity);
    const current = await repository.findOne({
      where: { goldenId: golden.goldenId },
      lock: { mode: 'pessimistic_write' },
    });
    if (current && BigInt(current.version) >= BigInt(golden.version))
      return { applied: false, rescore: [], prospects: [] };
    const next: GoldenCustomerCopyEntity = {
      goldenId: golden.goldenId,
      version: String(golden.version),
      record: JSON.parse(JSON.stringify(golden)) as Record<string, unknown>,
      x3CustomerCodes: [...golden.xrefs.x3CustomerCodes],
      salesforceAccountIds: [...golden.xrefs.salesforceAccountIds],
      // A prospect linked before mdm published a version that carries it is kept.
      pardotProspectIds: unique([
        ...golden.xrefs.pardotProspectIds,
        ...(await this.linkedProspects(manager, golden.goldenId)),
      ]),
      updatedAt: golden.updatedAt,
    };
    await repository.save(next);
    const linksChanged =
      !current ||
      !sameSet(current.x3CustomerCodes, next.x3CustomerCodes) ||
      !sameSet(current.pardotProspectIds, next.pardotProspectIds);
    return {
      applied: true,
      rescore: linksChanged ? unique([...(current?.x3CustomerCodes ?? []), ...next.x3CustomerCodes]) : [],
      prospects: linksChanged
        ? unique([...(current?.pardotProspectIds ?? []), ...next.pardotProspectIds])
        : [],
    };
  }

  /**
   * A prospect pardot-writer upserted for a golden customer: mdm links it without publishing a new
   * version (the next version carries it), so the directory takes it from the upsert itself.
   */
  async linkProspect(manager: EntityManager, goldenId: string, prospectId: string): Promise<DirectoryChange> {
    await manager.query(
      `INSERT INTO x3_order_writer_prospect_link (prospect_id, golden_id) VALUES ($1, $2)
       ON CONFLICT (prospect_id) DO NOTHING`,
      [prospectId, goldenId],
    );
    const repository = manager.getRepository(GoldenCustomerCopyEntity);
    const current = await repository.findOne({
      where: { goldenId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!current || current.pardotProspectIds.includes(prospectId))
      return { applied: false, rescore: [], prospects: [] };
    const prospects = unique([...current.pardotProspectIds, prospectId]);
    await repository.update({ goldenId }, { pardotProspectIds: prospects });
    return { applied: true, rescore: current.x3CustomerCodes, prospects };
  }

  /** Forgets a golden record (tombstoned after a merge: its survivor carries its cross-references). */
  async remove(manager: EntityManager, goldenId: string): Promise<DirectoryChange> {
    const repository = manager.getRepository(GoldenCustomerCopyEntity);
    const current = await repository.findOne({ where: { goldenId } });
    if (!current) return { applied: false, rescore: [], prospects: [] };
    await repository.delete({ goldenId });
    return { applied: true, rescore: current.x3CustomerCodes, prospects: current.pardotProspectIds };
  }

  private async linkedProspects(manager: EntityManager, goldenId: string): Promise<string[]> {
    const rows: { prospect_id: string }[] = await manager.query(
      'SELECT prospect_id FROM x3_order_writer_prospect_link WHERE golden_id = $1',
      [goldenId],
    );
    return rows.map((row) => row.prospect_id);
  }

  async byGoldenId(manager: EntityManager, goldenId: string): Promise<KnownCustomer | undefined> {
    const row = await manager.getRepository(GoldenCustomerCopyEntity).findOne({ where: { goldenId } });
    return row ? known(row) : undefined;
  }

  /** The golden customer cross-referenced to a Salesforce Account (the most recently updated one, if several). */
  async bySalesforceAccount(manager: EntityManager, accountId: string): Promise<KnownCustomer | undefined> {
    const row = await manager
      .getRepository(GoldenCustomerCopyEntity)
      .createQueryBuilder('g')
      .where(':id = ANY(g.salesforce_account_ids)', { id: accountId })
      .orderBy('g.updated_at', 'DESC')
      .getOne();
    return row ? known(row) : undefined;
  }

  /** X3 customer codes of the golden customers these prospects belong to, by prospect. */
  async customerCodesOfProspects(
    manager: EntityManager,
    prospectIds: readonly string[],
  ): Promise<Map<string, { readonly goldenId: string; readonly x3CustomerCodes: readonly string[] }[]>> {
    const rows = await manager
      .getRepository(GoldenCustomerCopyEntity)
      .createQueryBuilder('g')
      .where('g.pardot_prospect_ids && :ids::text[]', { ids: [...prospectIds] })
      .getMany();
    const out = new Map<string, { goldenId: string; x3CustomerCodes: readonly string[] }[]>();
    for (const row of rows) {
      for (const prospectId of row.pardotProspectIds) {
        if (!prospectIds.includes(prospectId)) continue;
        out.set(prospectId, [
          ...(out.get(prospectId) ?? []),
          { goldenId: row.goldenId, x3CustomerCodes: row.x3CustomerCodes },
        ]);
      }
    }
    return out;
  }

  /** The golden customers that carry an X3 customer code (usually one), with their prospects. */
  async byX3CustomerCode(manager: EntityManager, code: string): Promise<KnownCustomer[]> {
    const rows = await manager
      .getRepository(GoldenCustomerCopyEntity)
      .createQueryBuilder('g')
      .where(':code = ANY(g.x3_customer_codes)', { code })
      .orderBy('g.golden_id', 'ASC')
      .getMany();
    return rows.map(known);
  }
}

function known(row: GoldenCustomerCopyEntity): KnownCustomer {
  return {
    goldenId: row.goldenId,
    x3CustomerCodes: row.x3CustomerCodes,
    pardotProspectIds: row.pardotProspectIds,
    record: row.record,
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
