import { Inject, Injectable, Logger } from '@nestjs/common';
import { ExternalApiError, mayHaveBeenApplied } from '@pardot-x3/connector-kit';
import { NonRetriableError } from '@pardot-x3/messaging';
import { maskEmail, PardotClient } from '@pardot-x3/pardot-connector';
import type { EntityManager } from '@pardot-x3/persistence';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import { CustomerDirectory } from '../customer-directory/customer-directory.service.js';
import type { ErpActivityKind, PardotWriterConfig } from '../pardot-writer.config.js';

/** An X3 event to show on the customer's prospect. */
export interface ErpActivity {
  readonly kind: ErpActivityKind;
  /** The X3 record the activity is about (delivery, order, invoice number): one activity per key. */
  readonly businessKey: string;
  readonly x3CustomerCode: string;
  /** The e-mail the event carries, if any; else the golden customer's. */
  readonly email: string | null;
  /** What the activity shows: the X3 order number. */
  readonly value: string;
  readonly occurredAt: Date;
}

export type ErpActivityOutcome = 'sent' | 'already-sent' | 'not-configured';

/** Account Engagement limits an external activity's value to 100 characters. */
const MAX_VALUE_LENGTH = 100;

/**
 * No e-mail is known yet for the customer — not mastered yet, or mastered without one (a customer just
 * created in X3 from a Salesforce Account gets its contact's e-mail when mdm links them): worth trying
 * again later (retry topics), then a dead letter that says which.
 */
export class RecipientUnknownError extends Error {
  constructor(
    readonly x3CustomerCode: string,
    known: boolean,
  ) {
    super(
      known
        ? `X3 customer ${x3CustomerCode}'s golden record has no e-mail yet; the activity waits for one (a prospect needs it)`
        : `no e-mail is known yet for X3 customer ${x3CustomerCode}; the activity waits for its golden record`,
    );
    this.name = 'RecipientUnknownError';
  }
}

/** Leeway around the in-doubt submission's time when looking for it (clock skew, `createdAt` rounding). */
const LOOKUP_MARGIN_MS = 5_000;

/**
 * An earlier attempt submitted this activity and stopped before recording the answer (the process was
 * killed, the connection dropped): whether Account Engagement created it is known only once a read can be
 * trusted. The consumer pauses the partition (no attempt counted) and tries again — then it looks.
 */
export class ActivitySubmissionInDoubtError extends Error {
  readonly failureKind = 'throttled';

  constructor(
    readonly activityType: string,
    readonly businessKey: string,
    readonly retryAfterMs: number,
  ) {
    super(
      `the ${activityType} activity for ${businessKey} was submitted by an earlier attempt that did not see the answer; ` +
        `checking whether Account Engagement created it in ${Math.ceil(retryAfterMs / 1000)} s (its reads lag writes)`,
    );
    this.name = 'ActivitySubmissionInDoubtError';
  }
}

interface ActivityMark {
  readonly state: 'sending' | 'sent';
  readonly attemptStartedAt: Date;
}

/** An ERP event to send as an external activity, in the consumer's transaction (with its inbox row). */
export interface SendErpActivityCommand {
  readonly activity: ErpActivity;
  readonly manager: EntityManager;
}

/**
 * Sends one X3 event as an Account Engagement external activity (extension PARDOT_EXTERNAL_ACTIVITY_EXTENSION,
 * type from ERP_ACTIVITY_TYPES, value = the order number) to the customer's prospect, found by e-mail,
 * exactly once per type and business key. The external API has no idempotency key, so the key is marked
 * in two steps:
 * 1. `sending`, committed on its own before the call: a process killed between Account Engagement's answer
 *    and the event's commit leaves this mark behind;
 * 2. `sent`, in the event's transaction (with its inbox row) once the call succeeded.
 * A re-delivery that finds a `sending` mark does not submit again blindly: once Account Engagement's reads
 * can be trusted (the call's timeout plus PARDOT_READ_LAG_MS after the attempt) it looks for the activity
 * among those created since the attempt, and submits only if it is not there.
 */
@Injectable()
export class SendErpActivityUseCase {
  private readonly logger = new Logger(SendErpActivityUseCase.name);

  constructor(
    private readonly pardot: PardotClient,
    private readonly directory: CustomerDirectory,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: PardotWriterConfig,
  ) {}

  async execute({ activity, manager }: SendErpActivityCommand): Promise<ErpActivityOutcome> {
    const type = this.config.ERP_ACTIVITY_TYPES.get(activity.kind);
    if (!type) return 'not-configured';
    if (!this.config.PARDOT_EXTERNAL_ACTIVITY_EXTENSION)
      throw new NonRetriableError(
        'PARDOT_EXTERNAL_ACTIVITY_EXTENSION is not set: external activities cannot be sent (docs/flows/activities.md); re-drive the dead letters once it is',
      );
    const email = activity.email ?? (await this.recipient(activity.x3CustomerCode, manager));
    const value = activity.value.slice(0, MAX_VALUE_LENGTH);
    const key = { type, businessKey: activity.businessKey };

    const mark = await this.mark(key);
    if (mark?.state === 'sent') return 'already-sent';
    if (mark) {
      const trustedAt =
        mark.attemptStartedAt.getTime() + this.config.PARDOT_TIMEOUT_MS + this.config.PARDOT_READ_LAG_MS;
      const wait = trustedAt - Date.now();
      if (wait > 0) throw new ActivitySubmissionInDoubtError(type, activity.businessKey, wait);
      if (await this.landed(type, email, value, mark.attemptStartedAt)) {
        await this.markSent(manager, key);
        this.logger.log(
          { type, businessKey: activity.businessKey, prospect: maskEmail(email) },
          'external activity of an interrupted attempt found in Account Engagement; not sent again',
        );
        return 'already-sent';
      }
    }

    const attemptStartedAt = await this.markSending(key, email, value, mark?.attemptStartedAt);
    try {
      await this.pardot.createExternalActivity({ type, email, value, activityDate: activity.occurredAt });
    } catch (error) {
      // An error answer means nothing was created: forget the mark, and the failure policy decides
      // (refused → dead letter; 5xx, 183 → retried; 66, 122 → the partition waits). Without an answer
      // (timeout, dropped connection, 504 — the client does not repeat such an attempt) the mark stays and the next attempt looks first.
      if (answered(error)) await this.forgetSending(key, attemptStartedAt);
      throw error;
    }
    await this.markSent(manager, key);
    this.logger.log(
      { type, businessKey: activity.businessKey, value, prospect: maskEmail(email) },
      'external activity sent',
    );
    return 'sent';
  }

  private async mark(key: ActivityKey): Promise<ActivityMark | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT state, attempt_started_at FROM pardot_writer_erp_activity
       WHERE activity_type = $1 AND business_key = $2`,
      [key.type, key.businessKey],
    )) as { state: 'sending' | 'sent'; attempt_started_at: Date | null }[];
    const row = rows[0];
    if (!row) return undefined;
    return { state: row.state, attemptStartedAt: row.attempt_started_at ?? new Date(0) };
  }

  /** Commits the `sending` mark on its own (not in the event's transaction) and returns the attempt's time. */
  private async markSending(
    key: ActivityKey,
    email: string,
    value: string,
    previousAttempt: Date | undefined,
  ): Promise<Date> {
    // The previous attempt's time is compared (kept to the millisecond, as JavaScript reads it), so of two
    // consumers that both checked, one sends.
    const rows = (await this.dataSource.query(
      previousAttempt
        ? `UPDATE pardot_writer_erp_activity SET attempt_started_at = date_trunc('milliseconds', now()), email = $3, value = $4
           WHERE activity_type = $1 AND business_key = $2 AND state = 'sending'
             AND attempt_started_at IS NOT DISTINCT FROM $5 RETURNING attempt_started_at`
        : `INSERT INTO pardot_writer_erp_activity (activity_type, business_key, email, value, state, attempt_started_at)
           VALUES ($1, $2, $3, $4, 'sending', date_trunc('milliseconds', now())) ON CONFLICT DO NOTHING RETURNING attempt_started_at`,
      previousAttempt
        ? [key.type, key.businessKey, email, value, previousAttempt]
        : [key.type, key.businessKey, email, value],
    )) as { attempt_started_at: Date }[] | [{ attempt_started_at: Date }[], number];
    const returned = Array.isArray(rows[0]) ? rows[0] : rows;
    const started = (returned as { attempt_started_at: Date }[])[0]?.attempt_started_at;
    // Another consumer (a replica during a rebalance) marked it first: its attempt decides.
    if (!started)
      throw new ActivitySubmissionInDoubtError(
        key.type,
        key.businessKey,
        this.config.PARDOT_TIMEOUT_MS + this.config.PARDOT_READ_LAG_MS,
      );
    return started;
  }

  private async forgetSending(key: ActivityKey, attemptStartedAt: Date): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM pardot_writer_erp_activity
       WHERE activity_type = $1 AND business_key = $2 AND state = 'sending' AND attempt_started_at = $3`,
      [key.type, key.businessKey, attemptStartedAt],
    );
  }

  private async markSent(manager: EntityManager, key: ActivityKey): Promise<void> {
    await manager.query(
      `UPDATE pardot_writer_erp_activity SET state = 'sent', sent_at = now()
       WHERE activity_type = $1 AND business_key = $2`,
      [key.type, key.businessKey],
    );
  }

  /** Whether Account Engagement holds this activity among those created since the attempt started. */
  private async landed(type: string, email: string, value: string, since: Date): Promise<boolean> {
    const wanted = email.toLowerCase();
    for await (const found of this.pardot.queryExternalActivities({
      createdSince: new Date(since.getTime() - LOOKUP_MARGIN_MS),
    })) {
      if (
        found.type === type &&
        found.value === value &&
        (found.extension == null || found.extension === this.config.PARDOT_EXTERNAL_ACTIVITY_EXTENSION) &&
        typeof found.email === 'string' &&
        found.email.toLowerCase() === wanted
      )
        return true;
    }
    return false;
  }

  private async recipient(code: string, manager: EntityManager): Promise<string> {
    const recipient = await this.directory.recipientOfX3Customer(manager, code);
    if (recipient.kind === 'email') return recipient.email;
    throw new RecipientUnknownError(code, recipient.kind === 'no-email');
  }
}

interface ActivityKey {
  readonly type: string;
  readonly businessKey: string;
}

/** Whether the failed call certainly created nothing (an error answer, or it never left): see the kit's retry policy. */
function answered(error: unknown): boolean {
  return error instanceof ExternalApiError && !mayHaveBeenApplied(error);
}
