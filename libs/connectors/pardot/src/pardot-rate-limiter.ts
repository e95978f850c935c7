import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { externalApiMetrics, type ExternalApiMetrics } from '@pardot-x3/connector-kit';
import type { Logger } from '@pardot-x3/observability';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Registry } from 'prom-client';
import type { DataSource, QueryRunner } from 'typeorm';
import { budgetDay, nextBudgetReset } from './budget-day.util.js';

export interface PardotRateLimiterOptions {
  /** PostgreSQL shared by every process that calls this business unit (tables from `PardotApiLimits…` migration). */
  readonly dataSource: DataSource;
  readonly businessUnitId: string;
  /** Calls per day for the business unit, all flows and processes together. */
  readonly dailyBudget: number;
  /** Concurrent calls for the business unit across every process (Pardot allows 5). */
  readonly maxConcurrency: number;
  /** The day of the budget is the account's calendar day in this zone. */
  readonly timeZone: string;
  /** A slot held longer than this is free again (set above the HTTP timeout). */
  readonly leaseTtlMs: number;
  /** After error 122, how often one waiting call probes whether Pardot accepts calls again. */
  readonly limitProbeIntervalMs: number;
  /** Longest single sleep while waiting for the budget (the state is re-read after each). */
  readonly budgetPollMs?: number;
  readonly logger?: Logger;
  readonly registry?: Registry;
}

/** Where the business unit's budget stands today. */
export interface PardotBudgetStatus {
  readonly businessUnitId: string;
  readonly day: string;
  readonly callsUsed: number;
  readonly dailyBudget: number;
  readonly remaining: number;
  /** Pardot itself reported the daily limit met (error 122) today. */
  readonly limitReported: boolean;
  readonly nextReset: Date;
}

interface BudgetRow {
  calls_used: number;
  limit_reported_at: Date | null;
  next_probe_at: Date | null;
}

/**
 * The one home of Pardot's limits: at most `maxConcurrency` calls in flight per business unit and a
 * daily call budget, both shared by every flow and every process through PostgreSQL. Work that meets
 * an exhausted budget (ours, or Pardot's error 122) waits and resumes when the budget resets: it is
 * never dropped.
 */
export class PardotRateLimiter {
  private readonly metrics: ExternalApiMetrics;
  private readonly local: LimitFunction;
  private readonly instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private leaseCounter = 0;
  private slotsSeeded?: Promise<void>;
  private waitingLogged = false;

  constructor(private readonly options: PardotRateLimiterOptions) {
    if (options.maxConcurrency < 1 || options.maxConcurrency > 5)
      throw new Error('Pardot allows between 1 and 5 concurrent requests');
    this.metrics = externalApiMetrics(options.registry);
    // Never more waiters polling the database than slots this process could use.
    this.local = pLimit(options.maxConcurrency);
  }

  get businessUnitId(): string {
    return this.options.businessUnitId;
  }

  /**
   * Runs one Pardot call once a unit of today's budget and a concurrency slot are ours. Waits (without
   * limit) while the budget is exhausted; waits briefly while all slots are taken.
   */
  run<T>(call: () => Promise<T>): Promise<T> {
    return this.local(async () => {
      const probing = await this.takeBudget();
      const lease = await this.takeSlot();
      try {
        const result = await call();
        if (probing) await this.clearReportedLimit();
        return result;
      } finally {
        await this.releaseSlot(lease);
      }
    });
  }

  /** Pardot answered error 122: every process waits until midnight or until a probe call succeeds. */
  async reportDailyLimitMet(): Promise<void> {
    this.metrics.limitHits.inc({ system: 'pardot', kind: 'daily' });
    this.metrics.budgetRemaining.set({ system: 'pardot', scope: this.options.businessUnitId }, 0);
    await this.query(
      `INSERT INTO pardot_api_budget AS b (business_unit_id, day, calls_used, limit_reported_at, next_probe_at)
       VALUES ($1, $2, 0, now(), now() + $3 * interval '1 millisecond')
       ON CONFLICT (business_unit_id, day) DO UPDATE
         SET limit_reported_at = COALESCE(b.limit_reported_at, now()), next_probe_at = now() + $3 * interval '1 millisecond'`,
      [this.options.businessUnitId, this.today(), this.options.limitProbeIntervalMs],
    );
  }

  /** Today's figures, for the CLI and the logs. */
  async status(): Promise<PardotBudgetStatus> {
    const day = this.today();
    const [row] = await this.query<BudgetRow>(
      'SELECT calls_used, limit_reported_at, next_probe_at FROM pardot_api_budget WHERE business_unit_id = $1 AND day = $2',
      [this.options.businessUnitId, day],
    );
    const used = row?.calls_used ?? 0;
    return {
      businessUnitId: this.options.businessUnitId,
      day,
      callsUsed: used,
      dailyBudget: this.options.dailyBudget,
      remaining: row?.limit_reported_at ? 0 : Math.max(0, this.options.dailyBudget - used),
      limitReported: Boolean(row?.limit_reported_at),
      nextReset: nextBudgetReset(new Date(), this.options.timeZone),
    };
  }

  // ---- daily budget --------------------------------------------------------------------------

  /** Takes one call from today's budget, waiting while none is left; returns true when this call is the probe after a 122. */
  private async takeBudget(): Promise<boolean> {
    for (;;) {
      const day = this.today();
      const [taken] = await this.query<{ calls_used: number; probing: boolean }>(
        `INSERT INTO pardot_api_budget AS b (business_unit_id, day, calls_used) VALUES ($1, $2, 1)
         ON CONFLICT (business_unit_id, day) DO UPDATE
           SET calls_used = b.calls_used + 1,
               next_probe_at = CASE WHEN b.limit_reported_at IS NULL THEN b.next_probe_at ELSE now() + $4 * interval '1 millisecond' END
           WHERE b.calls_used < $3 AND (b.limit_reported_at IS NULL OR b.next_probe_at <= now())
         RETURNING b.calls_used, (b.limit_reported_at IS NOT NULL) AS probing`,
        [this.options.businessUnitId, day, this.options.dailyBudget, this.options.limitProbeIntervalMs],
      );
      if (taken) {
        if (this.waitingLogged) {
          this.waitingLogged = false;
          this.options.logger?.info(
            { businessUnitId: this.options.businessUnitId, day },
            'Pardot API budget available again; resuming',
          );
        }
        this.metrics.budgetRemaining.set(
          { system: 'pardot', scope: this.options.businessUnitId },
          taken.probing ? 0 : Math.max(0, this.options.dailyBudget - taken.calls_used),
        );
        return taken.probing;
      }
      await this.waitForBudget(day);
    }
  }

  private async waitForBudget(day: string): Promise<void> {
    const [row] = await this.query<BudgetRow>(
      'SELECT calls_used, limit_reported_at, next_probe_at FROM pardot_api_budget WHERE business_unit_id = $1 AND day = $2',
      [this.options.businessUnitId, day],
    );
    const now = Date.now();
    const reset = nextBudgetReset(new Date(now), this.options.timeZone);
    let resumeAt = reset.getTime();
    if (row?.limit_reported_at && row.next_probe_at && row.calls_used < this.options.dailyBudget) {
      resumeAt = Math.min(resumeAt, row.next_probe_at.getTime());
    }
    if (!this.waitingLogged) {
      this.waitingLogged = true;
      this.metrics.budgetRemaining.set({ system: 'pardot', scope: this.options.businessUnitId }, 0);
      if (!row?.limit_reported_at) this.metrics.limitHits.inc({ system: 'pardot', kind: 'daily' });
      this.options.logger?.warn(
        {
          businessUnitId: this.options.businessUnitId,
          day,
          callsUsed: row?.calls_used,
          dailyBudget: this.options.dailyBudget,
          reportedByPardot: Boolean(row?.limit_reported_at),
          budgetResetsAt: reset.toISOString(),
          nextTryAt: new Date(resumeAt).toISOString(),
        },
        'Pardot daily API budget exhausted: calls wait (nothing is dropped) and resume when the budget resets',
      );
    }
    const pollMs = this.options.budgetPollMs ?? 30_000;
    const jitter = Math.random() * Math.min(250, pollMs / 4);
    await sleep(Math.max(50, Math.min(resumeAt - now, pollMs)) + jitter);
  }

  private async clearReportedLimit(): Promise<void> {
    await this.query(
      'UPDATE pardot_api_budget SET limit_reported_at = NULL, next_probe_at = NULL WHERE business_unit_id = $1 AND day = $2',
      [this.options.businessUnitId, this.today()],
    );
  }

  // ---- concurrency slots ---------------------------------------------------------------------

  private async takeSlot(): Promise<{ slot: number; holder: string }> {
    this.slotsSeeded ??= this.seedSlots().catch((error: unknown) => {
      this.slotsSeeded = undefined;
      throw error;
    });
    await this.slotsSeeded;
    const holder = `${this.instance}:${++this.leaseCounter}`;
    for (let attempt = 0; ; attempt++) {
      const [row] = await this.query<{ slot: number }>(
        `UPDATE pardot_api_lease SET holder = $2, expires_at = now() + $3 * interval '1 millisecond'
         WHERE (business_unit_id, slot) = (
           SELECT business_unit_id, slot FROM pardot_api_lease
            WHERE business_unit_id = $1 AND slot <= $4 AND (holder IS NULL OR expires_at < now())
            ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING slot`,
        [this.options.businessUnitId, holder, this.options.leaseTtlMs, this.options.maxConcurrency],
      );
      if (row) return { slot: row.slot, holder };
      // Every slot is busy in some process: wait a little (jittered so waiters do not poll in step).
      await sleep(25 + Math.random() * Math.min(250, 25 * 2 ** Math.min(attempt, 4)));
    }
  }

  private async releaseSlot(lease: { slot: number; holder: string }): Promise<void> {
    try {
      await this.query(
        'UPDATE pardot_api_lease SET holder = NULL, expires_at = NULL WHERE business_unit_id = $1 AND slot = $2 AND holder = $3',
        [this.options.businessUnitId, lease.slot, lease.holder],
      );
    } catch (error) {
      // The lease expires on its own; the call itself succeeded or failed on its own merits.
      this.options.logger?.warn(
        { businessUnitId: this.options.businessUnitId, error: (error as Error).message },
        'could not release a Pardot concurrency slot; it frees itself when its lease expires',
      );
    }
  }

  private async seedSlots(): Promise<void> {
    await this.query(
      `INSERT INTO pardot_api_lease (business_unit_id, slot) SELECT $1, s FROM generate_series(1, 5) AS s ON CONFLICT DO NOTHING`,
      [this.options.businessUnitId],
    );
  }

  // ---- helpers -------------------------------------------------------------------------------

  private today(): string {
    return budgetDay(new Date(), this.options.timeZone);
  }

  /** Runs SQL and returns its rows (whatever the statement kind). */
  private async query<R>(sql: string, parameters: unknown[]): Promise<R[]> {
    const runner: QueryRunner = this.options.dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, parameters, true);
      return (result.records ?? []) as R[];
    } finally {
      await runner.release();
    }
  }
}
