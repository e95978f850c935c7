import { Injectable } from '@nestjs/common';
import type { CustomerObservation } from '@pardot-x3/canonical';
import { queryPrepared } from '@pardot-x3/persistence';
import type { EntityManager } from 'typeorm';

/** One quarantined field of one source record of a golden customer. */
export interface QuarantinedFieldRow {
  readonly system: string;
  readonly entity: string;
  readonly sourceId: string;
  readonly field: string;
  readonly rule: string;
  readonly reason: string;
  readonly sourceField: string | null;
  readonly observedAt: Date;
}

/**
 * `mdm_customer_field_quarantine`: which optional fields each source record's newest observation left
 * out, and why. Written in the consumer's transaction with the golden records (exactly once with the
 * inbox); an observation older than the source record mdm holds changes nothing.
 */
@Injectable()
export class FieldQuarantineStore {
  /**
   * Replaces the quarantined fields of every source record of the batch by those of its last
   * observation in the batch: one DELETE and, when any field is quarantined, one INSERT (prepared
   * statements: mdm's hot path).
   */
  async record(manager: EntityManager, observations: readonly CustomerObservation[]): Promise<void> {
    if (observations.length === 0) return;
    const latest = new Map<string, CustomerObservation>();
    for (const o of observations) latest.set(JSON.stringify([o.sourceSystem, o.sourceEntity, o.sourceId]), o);
    const records = [...latest.values()];
    // A record whose source record mdm holds is newer than this observation keeps its rows.
    const current = `NOT EXISTS (
        SELECT 1 FROM mdm_customer_source_record s
        WHERE s.source_system = o.system AND s.source_entity = o.entity AND s.source_id = o.id
          AND s.observed_at > o.observed_at)`;
    await queryPrepared(
      manager,
      `DELETE FROM mdm_customer_field_quarantine q
       USING unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS o(system, entity, id, observed_at)
       WHERE q.source_system = o.system AND q.source_entity = o.entity AND q.source_id = o.id AND ${current}`,
      [
        records.map((o) => o.sourceSystem),
        records.map((o) => o.sourceEntity),
        records.map((o) => o.sourceId),
        records.map((o) => o.observedAt),
      ],
    );
    const rows = records.flatMap((o) => (o.deleted ? [] : o.quarantinedFields.map((q) => ({ o, q }))));
    if (rows.length === 0) return;
    await queryPrepared(
      manager,
      `INSERT INTO mdm_customer_field_quarantine
         (source_system, source_entity, source_id, field, rule, reason, source_field, observed_at)
       SELECT o.system, o.entity, o.id, o.field, o.rule, o.reason, o.source_field, o.observed_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
         AS o(system, entity, id, field, rule, reason, source_field, observed_at)
       WHERE ${current}
       ON CONFLICT (source_system, source_entity, source_id, field) DO UPDATE
         SET rule = excluded.rule, reason = excluded.reason, source_field = excluded.source_field,
             observed_at = excluded.observed_at`,
      [
        rows.map(({ o }) => o.sourceSystem),
        rows.map(({ o }) => o.sourceEntity),
        rows.map(({ o }) => o.sourceId),
        rows.map(({ q }) => q.field),
        rows.map(({ q }) => q.rule),
        rows.map(({ q }) => q.reason),
        rows.map(({ q }) => q.sourceField),
        rows.map(({ o }) => o.observedAt),
      ],
    );
  }

  /** The quarantined fields of every source record of a golden customer, by source and field. */
  async forGolden(manager: EntityManager, goldenId: string): Promise<QuarantinedFieldRow[]> {
    const rows: {
      source_system: string;
      source_entity: string;
      source_id: string;
      field: string;
      rule: string;
      reason: string;
      source_field: string | null;
      observed_at: Date;
    }[] = await manager.query(
      `SELECT q.* FROM mdm_customer_field_quarantine q
       JOIN mdm_customer_source_record s
         ON s.source_system = q.source_system AND s.source_entity = q.source_entity AND s.source_id = q.source_id
       WHERE s.golden_id = $1
       ORDER BY q.source_system, q.source_entity, q.source_id, q.field`,
      [goldenId],
    );
    return rows.map((r) => ({
      system: r.source_system,
      entity: r.source_entity,
      sourceId: r.source_id,
      field: r.field,
      rule: r.rule,
      reason: r.reason,
      sourceField: r.source_field,
      observedAt: new Date(r.observed_at),
    }));
  }
}
