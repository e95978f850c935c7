import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { ParkableMessage } from '@pardot-x3/messaging';
import { queryPrepared } from '@pardot-x3/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import type { CustomerWriteTarget, WritePayload } from './customer-write-target.js';
import { canonicalPayloadJson } from './write-payload.util.js';

/** A write the flusher claimed: the values to write, and the revision it completes. */
export interface ClaimedWrite {
  readonly target: CustomerWriteTarget;
  readonly targetKey: string;
  readonly goldenId: string;
  readonly goldenVersion: number;
  readonly payload: WritePayload;
  readonly externalIds: readonly string[];
  readonly revision: number;
  readonly attempts: number;
  readonly firstQueuedAt: Date;
  /** The golden-customer event the write came from, to park it if the write fails for good (absent on rows queued before it was kept). */
  readonly sourceMessage?: ParkableMessage;
}

/** What was last written to a target. */
export interface WrittenState {
  readonly payload: WritePayload;
  readonly externalId: string | null;
}

interface PendingRow {
  target: CustomerWriteTarget;
  target_key: string;
  golden_id: string;
  golden_version: string;
  payload: Record<string, unknown>;
  external_ids: string[];
  revision: number;
  attempts: number;
  first_queued_at: Date;
  source_message: ParkableMessage | null;
}

/**
 * How long a claimed write is reserved for its writer. The writer renews the lease while it works on the
 * write (every LEASE_RENEWAL_MS), so a write held by a killed writer, or by a round that lost the
 * database, is free for another writer a minute later at most.
 */
export const LEASE_SECONDS = 60;
export const LEASE_RENEWAL_MS = 20_000;

/**
 * The coalescing queue of customer writes in PostgreSQL (`pardot_writer_pending_customer_write`) and
 * what was last written to each target (`pardot_writer_customer_write_state`).
 *
 * - `enqueue` (in the consumer's transaction) keeps one pending write per target. The first change
 *   opens a window of CUSTOMER_WRITE_COALESCING_MS; each later change replaces the values and moves the
 *   window's end to a full window after it (a burst is written once, however spread its changes), but
 *   never past CUSTOMER_WRITE_MAX_DELAY_MS after the window opened. A golden record change that leaves
 *   the target's values as they are (the Pardot id coming back, a field the target does not carry)
 *   changes neither the values nor the window.
 * - `claimProspects` hands due prospect writes to one writer; `claimSalesforceRecords` gathers due
 *   Contact and Account writes until 200 make a full sObject Collections call, or the oldest has waited
 *   CUSTOMER_WRITE_SALESFORCE_GATHER_MS with no full call on its way (skipping rows another writer holds).
 * - `complete` records what was written and removes the write, unless a newer change arrived while it
 *   was being written: then that change waits a full window after this write (one write in flight per
 *   target, the newest values next).
 */
@Injectable()
export class CustomerWriteQueue {
  private readonly windowMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: PardotWriterConfig,
  ) {
    this.windowMs = config.CUSTOMER_WRITE_COALESCING_MS;
    this.maxDelayMs = config.CUSTOMER_WRITE_MAX_DELAY_MS;
  }

  /**
   * Queues the latest values of a target. Returns false when nothing needs writing: the values are
   * those last written (and no write is pending), or those of the write already pending.
   */
  async enqueue(
    manager: EntityManager,
    write: {
      readonly target: CustomerWriteTarget;
      readonly targetKey: string;
      readonly goldenId: string;
      readonly goldenVersion: number;
      readonly payload: WritePayload;
      readonly externalIds?: readonly string[];
      readonly sourceMessage?: ParkableMessage;
    },
  ): Promise<boolean> {
    const [written] = await queryPrepared<{ payload: WritePayload }>(
      manager,
      `SELECT payload FROM pardot_writer_customer_write_state WHERE target = $1 AND target_key = $2`,
      [write.target, write.targetKey],
    );
    const [pending] = await queryPrepared<{ payload: WritePayload; state: string }>(
      manager,
      `SELECT payload, state FROM pardot_writer_pending_customer_write WHERE target = $1 AND target_key = $2 FOR UPDATE`,
      [write.target, write.targetKey],
    );
    const values = canonicalPayloadJson(write.payload);
    if (!pending && written && canonicalPayloadJson(written.payload) === values) return false;
    const externalIds = JSON.stringify(write.externalIds ?? []);
    const sourceMessage = write.sourceMessage ? JSON.stringify(write.sourceMessage) : null;
    if (pending?.state === 'pending' && canonicalPayloadJson(pending.payload) === values) {
      // Nothing the target carries changed: the pending write (waiting or in flight) stays as it is,
      // its window too; only the golden version, the ids to write to and the event to park go with it.
      await queryPrepared(
        manager,
        `UPDATE pardot_writer_pending_customer_write
            SET golden_id = $3, golden_version = $4, external_ids = $5::jsonb, source_message = coalesce($6::jsonb, source_message)
          WHERE target = $1 AND target_key = $2 AND golden_version <= $4`,
        [write.target, write.targetKey, write.goldenId, write.goldenVersion, externalIds, sourceMessage],
      );
      return false;
    }
    await queryPrepared(
      manager,
      `INSERT INTO pardot_writer_pending_customer_write
         (target, target_key, golden_id, golden_version, payload, external_ids, revision, first_queued_at,
          coalescing_since, due_at, state, source_message)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, 1, now(), now(),
               now() + make_interval(secs => $7::double precision / 1000), 'pending', $8::jsonb)
       ON CONFLICT (target, target_key) DO UPDATE
         SET golden_id = excluded.golden_id, golden_version = excluded.golden_version, payload = excluded.payload,
             external_ids = excluded.external_ids, revision = pardot_writer_pending_customer_write.revision + 1,
             source_message = excluded.source_message,
             coalescing_since = CASE WHEN pardot_writer_pending_customer_write.state = 'failed' THEN now()
                                     ELSE pardot_writer_pending_customer_write.coalescing_since END,
             due_at = CASE WHEN pardot_writer_pending_customer_write.state = 'failed' THEN excluded.due_at
                           ELSE greatest(pardot_writer_pending_customer_write.due_at,
                                         least(excluded.due_at,
                                               coalesce(pardot_writer_pending_customer_write.coalescing_since,
                                                        pardot_writer_pending_customer_write.first_queued_at)
                                                 + make_interval(secs => $9::double precision / 1000))) END,
             state = 'pending', last_error = NULL
         WHERE pardot_writer_pending_customer_write.golden_version <= excluded.golden_version`,
      [
        write.target,
        write.targetKey,
        write.goldenId,
        write.goldenVersion,
        JSON.stringify(write.payload),
        externalIds,
        this.windowMs,
        sourceMessage,
        this.maxDelayMs,
      ],
    );
    return true;
  }

  /** Drops the pending writes of a golden record that no longer exists (merged or deleted). */
  async cancelGolden(manager: EntityManager, goldenId: string): Promise<void> {
    await manager.query(
      `DELETE FROM pardot_writer_pending_customer_write WHERE golden_id = $1 AND target = 'pardot-prospect'
         AND (lease_until IS NULL OR lease_until < now())`,
      [goldenId],
    );
  }

  /** Up to `limit` prospect writes whose window has ended, reserved for this writer, oldest first. */
  async claimProspects(limit: number): Promise<ClaimedWrite[]> {
    const rows = (await this.dataSource.query(
      `UPDATE pardot_writer_pending_customer_write p
          SET lease_until = now() + make_interval(secs => $2), attempts = p.attempts + 1
        WHERE (p.target, p.target_key) IN (
          SELECT target, target_key FROM pardot_writer_pending_customer_write
           WHERE target = 'pardot-prospect' AND state = 'pending' AND due_at <= now()
             AND (lease_until IS NULL OR lease_until < now())
           ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING ${RETURNED}`,
      [limit, LEASE_SECONDS],
    )) as [PendingRow[], number] | PendingRow[];
    return claimedWrites(rows);
  }

  /**
   * Contact and Account writes whose window has ended, gathered for full sObject Collections calls:
   * whole multiples of `perCall` (oldest first, at most `perCall` × `calls`). Fewer only once the oldest
   * has waited `gatherMs` since its window ended and no full call is on its way (fewer than `perCall`
   * Salesforce writes queued, due or not), or once it has waited four times that: while customers keep
   * changing, their writes fill the call instead of leaving in small ones.
   */
  async claimSalesforceRecords(perCall: number, calls: number, gatherMs: number): Promise<ClaimedWrite[]> {
    const rows = (await this.dataSource.query(
      `WITH due AS (
         SELECT target, target_key, due_at, row_number() OVER (ORDER BY due_at, target, target_key) AS rn
           FROM (SELECT target, target_key, due_at FROM pardot_writer_pending_customer_write
                  WHERE target <> 'pardot-prospect' AND state = 'pending' AND due_at <= now()
                    AND (lease_until IS NULL OR lease_until < now())
                  ORDER BY due_at LIMIT $1::int * $2::int FOR UPDATE SKIP LOCKED) d),
       queued AS (
         SELECT count(*) AS q FROM pardot_writer_pending_customer_write
          WHERE target <> 'pardot-prospect' AND state = 'pending' AND (lease_until IS NULL OR lease_until < now())),
       ready AS (
         SELECT count(*) AS n,
                min(due_at) <= now() - make_interval(secs => $3::double precision / 1000)
                  AND ((SELECT q FROM queued) < $1::int
                       OR min(due_at) <= now() - make_interval(secs => 4 * $3::double precision / 1000)) AS waited
           FROM due)
       UPDATE pardot_writer_pending_customer_write p
          SET lease_until = now() + make_interval(secs => $4), attempts = p.attempts + 1
         FROM due, ready
        WHERE p.target = due.target AND p.target_key = due.target_key
          AND (ready.waited OR due.rn <= (ready.n / $1::int) * $1::int)
        RETURNING ${RETURNED.split(', ')
          .map((column) => `p.${column}`)
          .join(', ')}`,
      [perCall, calls, gatherMs, LEASE_SECONDS],
    )) as [PendingRow[], number] | PendingRow[];
    return claimedWrites(rows);
  }

  /** Keeps the lease of writes still in hand (a long round: the Pardot budget, slow calls). */
  async renewLeases(writes: readonly ClaimedWrite[]): Promise<void> {
    if (writes.length === 0) return;
    await this.dataSource.query(
      `UPDATE pardot_writer_pending_customer_write
          SET lease_until = now() + make_interval(secs => $3)
        WHERE (target, target_key) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND lease_until IS NOT NULL`,
      [writes.map((w) => w.target), writes.map((w) => w.targetKey), LEASE_SECONDS],
    );
  }

  /** Gives writes back at once (a round that failed before settling them): the next round takes them. */
  async release(writes: readonly ClaimedWrite[]): Promise<void> {
    if (writes.length === 0) return;
    await this.dataSource.query(
      `UPDATE pardot_writer_pending_customer_write SET lease_until = NULL
        WHERE (target, target_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [writes.map((w) => w.target), writes.map((w) => w.targetKey)],
    );
  }

  /** What was last written to each of these targets. */
  async written(writes: readonly ClaimedWrite[]): Promise<Map<string, WrittenState>> {
    if (writes.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT target, target_key, payload, external_id FROM pardot_writer_customer_write_state
        WHERE (target, target_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [writes.map((w) => w.target), writes.map((w) => w.targetKey)],
    )) as { target: string; target_key: string; payload: WritePayload; external_id: string | null }[];
    return new Map(
      rows.map((row) => [
        stateKey(row.target, row.target_key),
        { payload: row.payload, externalId: row.external_id },
      ]),
    );
  }

  /**
   * Records the write and retires it, or reopens a window for a change that arrived meanwhile — one
   * statement (atomic by itself; the pending row is modified at most once: deleted when its revision is
   * the one written, otherwise its window reopened).
   */
  async complete(write: ClaimedWrite, externalId: string | null): Promise<void> {
    await this.dataSource.query(
      `WITH saved AS (
         INSERT INTO pardot_writer_customer_write_state (target, target_key, golden_id, payload, external_id, written_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, now())
         ON CONFLICT (target, target_key) DO UPDATE
           SET golden_id = excluded.golden_id, payload = excluded.payload,
               external_id = coalesce(excluded.external_id, pardot_writer_customer_write_state.external_id),
               written_at = now()
         RETURNING 1
       ), retired AS (
         DELETE FROM pardot_writer_pending_customer_write
          WHERE target = $1 AND target_key = $2 AND revision = $6
         RETURNING 1
       )
       UPDATE pardot_writer_pending_customer_write
          SET lease_until = NULL, attempts = 0, first_queued_at = now(), coalescing_since = now(),
              due_at = greatest(due_at, now() + make_interval(secs => $7::double precision / 1000))
        WHERE target = $1 AND target_key = $2 AND NOT EXISTS (SELECT 1 FROM retired)`,
      [
        write.target,
        write.targetKey,
        write.goldenId,
        JSON.stringify(write.payload),
        externalId,
        write.revision,
        this.windowMs,
      ],
    );
  }

  /** A write that failed and will be tried again after `retryInMs`. */
  async retryLater(write: ClaimedWrite, reason: string, retryInMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE pardot_writer_pending_customer_write
          SET lease_until = NULL, last_error = $3, due_at = now() + make_interval(secs => $4::double precision / 1000)
        WHERE target = $1 AND target_key = $2`,
      [write.target, write.targetKey, reason.slice(0, 1_000), retryInMs],
    );
  }

  /**
   * A write parked on the dead-letter topic: retired, unless a newer change arrived meanwhile (that one
   * is written in its own right). A row with no source message to park (queued before it was kept) stays
   * as 'failed' with its error until the customer changes again.
   */
  async retire(write: ClaimedWrite, reason: string): Promise<void> {
    if (write.sourceMessage)
      await this.dataSource.query(
        `DELETE FROM pardot_writer_pending_customer_write WHERE target = $1 AND target_key = $2 AND revision = $3`,
        [write.target, write.targetKey, write.revision],
      );
    else
      await this.dataSource.query(
        `UPDATE pardot_writer_pending_customer_write SET lease_until = NULL, state = 'failed', last_error = $4
          WHERE target = $1 AND target_key = $2 AND revision = $3`,
        [write.target, write.targetKey, write.revision, reason.slice(0, 1_000)],
      );
    // A newer change that arrived while this one was written: its own write, from a fresh count.
    await this.dataSource.query(
      `UPDATE pardot_writer_pending_customer_write SET lease_until = NULL, attempts = 0
        WHERE target = $1 AND target_key = $2 AND revision <> $3`,
      [write.target, write.targetKey, write.revision],
    );
  }

  /** Writes not done yet (pending or failed), for tests, the readiness of a drain, and operators. */
  async pendingCount(): Promise<{ pending: number; failed: number }> {
    const rows = (await this.dataSource.query(
      `SELECT state, count(*) AS n FROM pardot_writer_pending_customer_write GROUP BY state`,
    )) as { state: string; n: string }[];
    return {
      pending: Number(rows.find((r) => r.state === 'pending')?.n ?? 0),
      failed: Number(rows.find((r) => r.state === 'failed')?.n ?? 0),
    };
  }
}

const RETURNED =
  'target, target_key, golden_id, golden_version, payload, external_ids, revision, attempts, first_queued_at, source_message';

function claimedWrites(rows: [PendingRow[], number] | PendingRow[]): ClaimedWrite[] {
  const list = Array.isArray(rows[0]) ? (rows[0] as PendingRow[]) : (rows as PendingRow[]);
  return list.map((row) => ({
    target: row.target,
    targetKey: row.target_key,
    goldenId: row.golden_id,
    goldenVersion: Number(row.golden_version),
    payload: row.payload,
    externalIds: row.external_ids,
    revision: row.revision,
    attempts: row.attempts,
    firstQueuedAt: row.first_queued_at,
    sourceMessage: row.source_message ?? undefined,
  }));
}

export function stateKey(target: string, targetKey: string): string {
  return `${target}|${targetKey}`;
}
