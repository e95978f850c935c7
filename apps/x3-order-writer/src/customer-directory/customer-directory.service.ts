import { Injectable } from '@nestjs/common';
import type { GoldenCustomer } from '@pardot-x3/canonical';
import { queryPrepared, type EntityManager } from '@pardot-x3/persistence';
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
  /**
   * Applies golden records (a batch, in offset order) with two reads and one write whatever their
   * number: each version is applied unless a newer one is already known (in the table or earlier in
   * the batch); the change says which X3 customers' links changed over the whole batch.
   */
  async recordAll(manager: EntityManager, goldens: readonly GoldenCustomer[]): Promise<DirectoryChange> {
    const ids = unique(goldens.map((golden) => golden.goldenId));
    if (ids.length === 0) return { applied: false, rescore: [], prospects: [] };
    const stored = await queryPrepared<{
      golden_id: string;
      version: string;
      x3_customer_codes: string[];
      pardot_prospect_ids: string[];
    }>(
      manager,
      `SELECT golden_id, version::text AS version, x3_customer_codes, pardot_prospect_ids
         FROM x3_order_writer_golden_customer WHERE golden_id = ANY($1::text[])
        ORDER BY golden_id FOR UPDATE`,
      [ids],
    );
    const links = await queryPrepared<{ golden_id: string; prospect_id: string }>(
      manager,
      'SELECT golden_id, prospect_id FROM x3_order_writer_prospect_link WHERE golden_id = ANY($1::text[])',
      [ids],
    );
    const current = new Map(
      stored.map((row) => [
        row.golden_id,
        {
          version: BigInt(row.version),
          x3CustomerCodes: row.x3_customer_codes,
          pardotProspectIds: row.pardot_prospect_ids,
        },
      ]),
    );
    const linked = new Map<string, string[]>();
    for (const link of links)
      linked.set(link.golden_id, [...(linked.get(link.golden_id) ?? []), link.prospect_id]);

    const written = new Map<string, Record<string, unknown>>();
    const rescore = new Set<string>();
    const prospects = new Set<string>();
    for (const golden of goldens) {
      const before = current.get(golden.goldenId);
      const version = BigInt(golden.version);
      if (before && before.version >= version) continue;
      // A prospect linked before mdm published a version that carries it is kept.
      const next = {
        version,
        x3CustomerCodes: [...golden.xrefs.x3CustomerCodes],
        pardotProspectIds: unique([
          ...golden.xrefs.pardotProspectIds,
          ...(linked.get(golden.goldenId) ?? []),
        ]),
      };
      current.set(golden.goldenId, next);
      written.set(golden.goldenId, {
        golden_id: golden.goldenId,
        version: String(version),
        record: golden,
        codes: next.x3CustomerCodes,
        accounts: [...golden.xrefs.salesforceAccountIds],
        prospects: next.pardotProspectIds,
        updated_at: golden.updatedAt,
      });
      const linksChanged =
        !before ||
        !sameSet(before.x3CustomerCodes, next.x3CustomerCodes) ||
        !sameSet(before.pardotProspectIds, next.pardotProspectIds);
      if (!linksChanged) continue;
      for (const code of [...(before?.x3CustomerCodes ?? []), ...next.x3CustomerCodes]) rescore.add(code);
      for (const id of [...(before?.pardotProspectIds ?? []), ...next.pardotProspectIds]) prospects.add(id);
    }
    if (written.size === 0) return { applied: false, rescore: [], prospects: [] };
    // The record as JSON (dates as ISO-8601 text), the arrays as jsonb lists turned into text[].
    await queryPrepared(
      manager,
      `INSERT INTO x3_order_writer_golden_customer
         (golden_id, version, record, x3_customer_codes, salesforce_account_ids, pardot_prospect_ids, updated_at)
       SELECT r.golden_id, r.version, r.record,
              ARRAY(SELECT jsonb_array_elements_text(r.codes)),
              ARRAY(SELECT jsonb_array_elements_text(r.accounts)),
              ARRAY(SELECT jsonb_array_elements_text(r.prospects)),
              r.updated_at
         FROM jsonb_to_recordset($1::jsonb) AS r(golden_id text, version bigint, record jsonb, codes jsonb,
              accounts jsonb, prospects jsonb, updated_at timestamptz)
       ON CONFLICT (golden_id) DO UPDATE SET version = EXCLUDED.version, record = EXCLUDED.record,
         x3_customer_codes = EXCLUDED.x3_customer_codes, salesforce_account_ids = EXCLUDED.salesforce_account_ids,
         pardot_prospect_ids = EXCLUDED.pardot_prospect_ids, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify([...written.values()])],
    );
    return { applied: true, rescore: unique([...rescore]), prospects: unique([...prospects]) };
  }

  /**
   * A prospect pardot-writer upserted for a golden customer: mdm links it without publishing a new
   * version (the next version carries it), so the directory takes it from the upsert itself.
   */
  async linkProspect(manager: EntityManager, goldenId: string, prospectId: string): Promise<DirectoryChange> {
    await queryPrepared(
      manager,
      `INSERT INTO x3_order_writer_prospect_link (prospect_id, golden_id) VALUES ($1, $2)
       ON CONFLICT (prospect_id) DO NOTHING`,
      [prospectId, goldenId],
    );
    const [current] = await queryPrepared<{ x3_customer_codes: string[]; pardot_prospect_ids: string[] }>(
      manager,
      `SELECT x3_customer_codes, pardot_prospect_ids FROM x3_order_writer_golden_customer
        WHERE golden_id = $1 FOR UPDATE`,
      [goldenId],
    );
    if (!current || current.pardot_prospect_ids.includes(prospectId))
      return { applied: false, rescore: [], prospects: [] };
    const prospects = unique([...current.pardot_prospect_ids, prospectId]);
    await queryPrepared(
      manager,
      'UPDATE x3_order_writer_golden_customer SET pardot_prospect_ids = $2::text[] WHERE golden_id = $1',
      [goldenId, prospects],
    );
    return { applied: true, rescore: current.x3_customer_codes, prospects };
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

  /** The golden customers that carry each of these X3 customer codes (one query), by golden id within a code. */
  async byX3CustomerCodes(
    manager: EntityManager,
    codes: readonly string[],
  ): Promise<Map<string, KnownCustomer[]>> {
    const wanted = new Set(codes);
    const rows = await manager
      .getRepository(GoldenCustomerCopyEntity)
      .createQueryBuilder('g')
      .where('g.x3_customer_codes && :codes::text[]', { codes: [...wanted] })
      .orderBy('g.golden_id', 'ASC')
      .getMany();
    const out = new Map<string, KnownCustomer[]>();
    for (const row of rows)
      for (const code of new Set(row.x3CustomerCodes))
        if (wanted.has(code)) out.set(code, [...(out.get(code) ?? []), known(row)]);
    return out;
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
