import { Injectable } from '@nestjs/common';
import {
  matchKeysForGolden,
  normaliseEmail,
  type GoldenCustomer,
  type MatchingPolicy,
  type SourceEntity,
  type SourceRecordState,
  type SourceSystem,
} from '@pardot-x3/customer-master';
import type { EntityManager } from 'typeorm';
import type { GoldenCustomerState } from './golden-customer.entity.js';

/** A source record's row: which golden record it belongs to, and what mdm knows of it. */
export interface SourceRecordRow {
  readonly goldenId: string;
  readonly state: SourceRecordState;
  readonly deleted: boolean;
}

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
   * lock per match key, taken in a fixed order (two observations with the same email, processed on two
   * partitions or by two replicas at once, cannot both create a golden record).
   */
  async lockMatchKeys(manager: EntityManager, keys: readonly string[]): Promise<void> {
    const sorted = [...new Set(keys)].sort();
    for (const key of sorted)
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  }

  /** Active golden records indexed under any of the keys, locked for this transaction. */
  async findByMatchKeys(manager: EntityManager, keys: readonly string[]): Promise<GoldenCustomer[]> {
    const rows: { record: GoldenCustomer }[] = await manager.query(
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
    }[] = await manager.query(
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

  /** Writes a golden record (active) and replaces its match keys. */
  async saveGolden(manager: EntityManager, golden: GoldenCustomer, policy: MatchingPolicy): Promise<void> {
    const email = typeof golden.email === 'string' ? normaliseEmail(golden.email) : null;
    await manager.query(
      `INSERT INTO mdm_golden_customer (golden_id, version, record, email, state, merged_into, changed_at)
       VALUES ($1, $2, $3::jsonb, $4, 'active', NULL, now())
       ON CONFLICT (golden_id) DO UPDATE
         SET version = excluded.version, record = excluded.record, email = excluded.email,
             state = 'active', merged_into = NULL, changed_at = now()`,
      [golden.goldenId, golden.version, JSON.stringify(golden), email],
    );
    await this.replaceKeys(manager, golden.goldenId, matchKeysForGolden(golden, policy));
  }

  /** Retires golden records absorbed by a merge: their keys go, their source records move to the survivor. */
  async markMerged(
    manager: EntityManager,
    absorbedIds: readonly string[],
    survivorId: string,
  ): Promise<void> {
    if (absorbedIds.length === 0) return;
    await manager.query(
      `UPDATE mdm_golden_customer SET state = 'merged', merged_into = $2, changed_at = now() WHERE golden_id = ANY($1::text[])`,
      [absorbedIds, survivorId],
    );
    // Records merged earlier into an absorbed one now point at the survivor directly.
    await manager.query(
      `UPDATE mdm_golden_customer SET merged_into = $2 WHERE merged_into = ANY($1::text[])`,
      [absorbedIds, survivorId],
    );
    await manager.query('DELETE FROM mdm_customer_match_key WHERE golden_id = ANY($1::text[])', [
      absorbedIds,
    ]);
    await manager.query(
      'UPDATE mdm_customer_source_record SET golden_id = $2, updated_at = now() WHERE golden_id = ANY($1::text[])',
      [absorbedIds, survivorId],
    );
  }

  /** A golden record every source record of which was deleted: kept for its history, found no more. */
  async markDeleted(manager: EntityManager, golden: GoldenCustomer): Promise<void> {
    await manager.query(
      `UPDATE mdm_golden_customer SET state = 'deleted', version = $2, record = $3::jsonb, changed_at = now() WHERE golden_id = $1`,
      [golden.goldenId, golden.version, JSON.stringify(golden)],
    );
    await this.replaceKeys(manager, golden.goldenId, []);
  }

  async saveSourceRecord(
    manager: EntityManager,
    ref: SourceRecordRef,
    row: { goldenId: string; state: SourceRecordState; deleted?: boolean },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO mdm_customer_source_record (source_system, source_entity, source_id, golden_id, observed_at, fields, deleted, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, now())
       ON CONFLICT (source_system, source_entity, source_id) DO UPDATE
         SET golden_id = excluded.golden_id, observed_at = excluded.observed_at, fields = excluded.fields,
             deleted = excluded.deleted, updated_at = now()`,
      [
        ref.system,
        ref.entity,
        ref.sourceId,
        row.goldenId,
        new Date(row.state.observedAt),
        JSON.stringify(row.state.fields),
        row.deleted ?? false,
      ],
    );
  }

  /** A golden record by id, whatever its state. */
  async get(manager: EntityManager, goldenId: string, lock = false): Promise<StoredGolden | undefined> {
    const rows: GoldenRow[] = await manager.query(
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

  private async replaceKeys(
    manager: EntityManager,
    goldenId: string,
    keys: readonly string[],
  ): Promise<void> {
    await manager.query('DELETE FROM mdm_customer_match_key WHERE golden_id = $1', [goldenId]);
    const unique = [...new Set(keys)];
    if (unique.length > 0)
      await manager.query(
        `INSERT INTO mdm_customer_match_key (key, golden_id) SELECT k, $2 FROM unnest($1::text[]) AS k ON CONFLICT DO NOTHING`,
        [unique, goldenId],
      );
  }
}
