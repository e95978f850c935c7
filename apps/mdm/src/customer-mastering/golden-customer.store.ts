import { Injectable } from '@nestjs/common';
import {
  matchKeysForGolden,
  normaliseEmail,
  type GoldenCustomer,
  type MatchingPolicy,
  type SourceEntity,
  type SourceRecord,
  type SourceRecordState,
  type SourceSystem,
} from '@pardot-x3/customer-master';
import { queryPrepared } from '@pardot-x3/persistence';
import type { EntityManager } from 'typeorm';
import type { GoldenCustomerState } from './golden-customer.entity.js';

/** A source record's row: which golden record it belongs to, and what mdm knows of it. */
export type SourceRecordRow = SourceRecord;

export interface SourceRecordRef {
  readonly system: SourceSystem;
  readonly entity: SourceEntity;
  readonly sourceId: string;
}

/** A golden row as read: the record, and where it went if it is no longer active. */
export interface StoredGolden {
  readonly golden: GoldenCustomer;
  readonly state: GoldenCustomerState;
  readonly mergedInto: string | null;
}

interface GoldenRow {
  record: GoldenCustomer;
  state: GoldenCustomerState;
  merged_into: string | null;
}

/**
 * Golden records, their match keys and the source records cross-referenced to them, in PostgreSQL.
 * Every write goes through the caller's transaction (the consumer's inbox transaction), so a golden
 * record, its keys and the event saying so are one unit of work.
 */
@Injectable()
export class GoldenCustomerStore {
  /**
   * Serialises observations that could touch the same golden records: one transaction-scoped advisory
   * lock per match key, taken in a fixed order in one statement (two observations with the same email,
   * processed on two partitions or by two replicas at once, cannot both create a golden record).
   */
  async lockMatchKeys(manager: EntityManager, keys: readonly string[]): Promise<void> {
    const sorted = [...new Set(keys)].sort();
    if (sorted.length === 0) return;
    // A statement of its own: the statements after it take their snapshot once the locks are held,
    // so they see what the transaction that held a lock before committed.
    await queryPrepared(
      manager,
      `SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM unnest($1::text[]) WITH ORDINALITY AS t(k, n)`,
      [sorted],
    );
  }

  /** Active golden records indexed under any of the keys, locked for this transaction. */
  async findByMatchKeys(manager: EntityManager, keys: readonly string[]): Promise<GoldenCustomer[]> {
    const rows = await queryPrepared<{ record: GoldenCustomer }>(
      manager,
      `SELECT g.record FROM mdm_golden_customer g
        WHERE g.state = 'active'
          AND g.golden_id IN (SELECT golden_id FROM mdm_customer_match_key WHERE key = ANY($1::text[]))
        ORDER BY g.golden_id
        FOR UPDATE`,
      [keys],
    );
    return rows.map((row) => row.record);
  }

  async findSourceRecord(manager: EntityManager, ref: SourceRecordRef): Promise<SourceRecordRow | undefined> {
    const rows: {
      golden_id: string;
      observed_at: Date;
      fields: SourceRecordState['fields'];
      deleted: boolean;
    }[] = await queryPrepared(
      manager,
      `SELECT golden_id, observed_at, fields, deleted FROM mdm_customer_source_record
          WHERE source_system = $1 AND source_entity = $2 AND source_id = $3 FOR UPDATE`,
      [ref.system, ref.entity, ref.sourceId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      goldenId: row.golden_id,
      deleted: row.deleted,
      state: { observedAt: row.observed_at.getTime(), fields: row.fields },
    };
  }

  /** The rows of these source records (one query), by {@link sourceRecordKey}, locked for this transaction. */
  async findSourceRecords(
    manager: EntityManager,
    refs: readonly SourceRecordRef[],
  ): Promise<Map<string, SourceRecordRow>> {
    const found = new Map<string, SourceRecordRow>();
    if (refs.length === 0) return found;
    const rows = await queryPrepared<{
      source_system: SourceSystem;
      source_entity: SourceEntity;
      source_id: string;
      golden_id: string;
      observed_at: Date;
      fields: SourceRecordState['fields'];
      deleted: boolean;
    }>(
      manager,
      `SELECT s.source_system, s.source_entity, s.source_id, s.golden_id, s.observed_at, s.fields, s.deleted
         FROM mdm_customer_source_record s
         JOIN unnest($1::text[], $2::text[], $3::text[]) AS r(system, entity, id)
           ON s.source_system = r.system AND s.source_entity = r.entity AND s.source_id = r.id
        ORDER BY s.source_system, s.source_entity, s.source_id
          FOR UPDATE OF s`,
      [refs.map((r) => r.system), refs.map((r) => r.entity), refs.map((r) => r.sourceId)],
    );
    for (const row of rows)
      found.set(
        sourceRecordKey({ system: row.source_system, entity: row.source_entity, sourceId: row.source_id }),
        {
          goldenId: row.golden_id,
          deleted: row.deleted,
          state: { observedAt: row.observed_at.getTime(), fields: row.fields },
        },
      );
    return found;
  }

  /**
   * Writes golden records in their final state with one multi-row upsert (active ones, and those
   * merged or deleted), and brings their match keys up to date: the keys an active record no longer
   * has go, new ones come; a retired record has none.
   */
  async saveGoldens(
    manager: EntityManager,
    rows: readonly { golden: GoldenCustomer; state: GoldenCustomerState; mergedInto: string | null }[],
    policy: MatchingPolicy,
  ): Promise<void> {
    if (rows.length === 0) return;
    const keyRows = rows.flatMap((r) =>
      r.state === 'active'
        ? [...new Set(matchKeysForGolden(r.golden, policy))].map((key) => ({
            key,
            goldenId: r.golden.goldenId,
          }))
        : [],
    );
    // One statement (three data-modifying parts on one snapshot): the records, the keys they no longer
    // have, the keys they now have. The two key sets are disjoint, so the parts cannot collide.
    await queryPrepared(
      manager,
      `WITH saved AS (
         INSERT INTO mdm_golden_customer (golden_id, version, record, email, state, merged_into, changed_at)
         SELECT id, version, record, email, state, merged_into, now()
           FROM unnest($1::text[], $2::bigint[], $3::jsonb[], $4::text[], $5::text[], $6::text[])
             AS r(id, version, record, email, state, merged_into)
         ON CONFLICT (golden_id) DO UPDATE
           SET version = excluded.version, record = excluded.record, email = excluded.email,
               state = excluded.state, merged_into = excluded.merged_into, changed_at = now()
         RETURNING 1
       ), stale_keys AS (
         DELETE FROM mdm_customer_match_key k
          WHERE k.golden_id = ANY($1::text[])
            AND (k.key, k.golden_id) NOT IN (SELECT * FROM unnest($7::text[], $8::text[]))
         RETURNING 1
       ), new_keys AS (
         INSERT INTO mdm_customer_match_key (key, golden_id)
         SELECT * FROM unnest($7::text[], $8::text[]) ON CONFLICT DO NOTHING
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM saved) AS saved`,
      [
        rows.map((r) => r.golden.goldenId),
        rows.map((r) => r.golden.version),
        rows.map((r) => JSON.stringify(r.golden)),
        rows.map((r) => (typeof r.golden.email === 'string' ? normaliseEmail(r.golden.email) : null)),
        rows.map((r) => r.state),
        rows.map((r) => r.mergedInto),
        keyRows.map((k) => k.key),
        keyRows.map((k) => k.goldenId),
      ],
    );
  }

  /**
   * After merges: records merged earlier into an absorbed one now point at its survivor directly, and
   * the absorbed records' source records belong to the survivor (`redirects`: absorbed → survivor).
   */
  async redirectMerged(manager: EntityManager, redirects: ReadonlyMap<string, string>): Promise<void> {
    if (redirects.size === 0) return;
    const params = [[...redirects.keys()], [...redirects.values()]];
    await manager.query(
      `UPDATE mdm_golden_customer g SET merged_into = m.survivor
         FROM unnest($1::text[], $2::text[]) AS m(absorbed, survivor)
        WHERE g.merged_into = m.absorbed`,
      params,
    );
    await manager.query(
      `UPDATE mdm_customer_source_record s SET golden_id = m.survivor, updated_at = now()
         FROM unnest($1::text[], $2::text[]) AS m(absorbed, survivor)
        WHERE s.golden_id = m.absorbed`,
      params,
    );
  }

  /** Writes source records with one multi-row upsert (one row per source record). */
  async saveSourceRecords(
    manager: EntityManager,
    rows: readonly { ref: SourceRecordRef; row: SourceRecordRow }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await queryPrepared(
      manager,
      `INSERT INTO mdm_customer_source_record (source_system, source_entity, source_id, golden_id, observed_at, fields, deleted, updated_at)
       SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[], $7::boolean[])
       ON CONFLICT (source_system, source_entity, source_id) DO UPDATE
         SET golden_id = excluded.golden_id, observed_at = excluded.observed_at, fields = excluded.fields,
             deleted = excluded.deleted, updated_at = now()`,
      [
        rows.map((r) => r.ref.system),
        rows.map((r) => r.ref.entity),
        rows.map((r) => r.ref.sourceId),
        rows.map((r) => r.row.goldenId),
        rows.map((r) => new Date(r.row.state.observedAt)),
        rows.map((r) => JSON.stringify(r.row.state.fields)),
        rows.map((r) => r.row.deleted),
      ],
    );
  }

  /** A golden record by id, whatever its state. */
  async get(manager: EntityManager, goldenId: string, lock = false): Promise<StoredGolden | undefined> {
    const rows = await queryPrepared<GoldenRow>(
      manager,
      `SELECT record, state, merged_into FROM mdm_golden_customer WHERE golden_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [goldenId],
    );
    const row = rows[0];
    return row && { golden: row.record, state: row.state, mergedInto: row.merged_into };
  }

  /** The active golden record a (possibly merged) golden id now lives in. */
  async resolveActive(
    manager: EntityManager,
    goldenId: string,
    lock = false,
  ): Promise<StoredGolden | undefined> {
    let stored = await this.get(manager, goldenId, lock);
    for (let hops = 0; stored?.state === 'merged' && stored.mergedInto && hops < 10; hops += 1)
      stored = await this.get(manager, stored.mergedInto, lock);
    return stored;
  }

  /**
   * {@link resolveActive} for several golden ids at once, locked: one statement for the records named,
   * one more per level of merge chain (rare). Keyed by the id asked for.
   */
  async resolveActiveAll(
    manager: EntityManager,
    goldenIds: readonly string[],
  ): Promise<Map<string, StoredGolden>> {
    const found = new Map<string, StoredGolden>();
    const read = async (ids: readonly string[]): Promise<Map<string, StoredGolden>> => {
      const rows = await queryPrepared<GoldenRow & { golden_id: string }>(
        manager,
        `SELECT golden_id, record, state, merged_into FROM mdm_golden_customer
          WHERE golden_id = ANY($1::text[]) ORDER BY golden_id FOR UPDATE`,
        [[...new Set(ids)]],
      );
      return new Map(
        rows.map((row) => [
          row.golden_id,
          { golden: row.record, state: row.state, mergedInto: row.merged_into },
        ]),
      );
    };
    let pending = new Map<string, string>(goldenIds.map((id) => [id, id]));
    for (let hops = 0; pending.size > 0 && hops < 10; hops += 1) {
      const rows = await read([...pending.values()]);
      const next = new Map<string, string>();
      for (const [asked, current] of pending) {
        const stored = rows.get(current);
        if (!stored) continue;
        if (stored.state === 'merged' && stored.mergedInto) {
          found.set(asked, stored);
          next.set(asked, stored.mergedInto);
        } else found.set(asked, stored);
      }
      pending = next;
    }
    return found;
  }

  /** The active golden record whose surviving email is this one (normalised), if any. */
  async findActiveByEmail(manager: EntityManager, email: string): Promise<GoldenCustomer | undefined> {
    const rows: { record: GoldenCustomer }[] = await manager.query(
      `SELECT record FROM mdm_golden_customer WHERE email = $1 AND state = 'active' ORDER BY golden_id LIMIT 1`,
      [normaliseEmail(email)],
    );
    return rows[0]?.record;
  }

  async countActive(manager: EntityManager): Promise<number> {
    const rows: { count: string }[] = await manager.query(
      `SELECT count(*) AS count FROM mdm_golden_customer WHERE state = 'active'`,
    );
    return Number(rows[0]?.count ?? 0);
  }
}

/** A source record's key in maps: `SYSTEM:Entity:id`. */
export function sourceRecordKey(ref: SourceRecordRef): string {
  return `${ref.system}:${ref.entity}:${ref.sourceId}`;
}
