import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type Prospect } from '@pardot-x3/canonical';
import { classifyFailure, isPermanent, type FailureClassification } from '@pardot-x3/failure-policy';
import type { Messaging } from '@pardot-x3/messaging';
import { MESSAGING, MessageProducer } from '@pardot-x3/messaging-nest';
import { maskEmail, PardotApiError, PardotClient, type PardotProspect } from '@pardot-x3/pardot-connector';
import {
  SALESFORCE_COLLECTION_LIMIT,
  SalesforceApiError,
  SalesforceClient,
} from '@pardot-x3/salesforce-connector';
import { BackgroundLoop, SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import pLimit from 'p-limit';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import {
  CustomerWriteQueue,
  LEASE_RENEWAL_MS,
  stateKey,
  type ClaimedWrite,
  type WrittenState,
} from './customer-write-queue.js';
import { changedValues } from './write-payload.util.js';

/** How long the list of Pardot's custom fields is trusted before it is read again. */
const CUSTOM_FIELDS_TTL_MS = 10 * 60_000;
/** Prospect writes claimed per round. */
const PROSPECT_CLAIM_LIMIT = 400;
/** Full sObject Collections calls a Salesforce round may make. */
const SALESFORCE_CALLS_PER_ROUND = 5;
/** Prospect writes in flight at once (the shared limiter also caps Pardot at PARDOT_MAX_CONCURRENCY). */
const PROSPECT_CONCURRENCY = 5;
const PROSPECT_FIELDS = ['id', 'email', 'createdAt', 'updatedAt'];
const SOBJECT_OF = { 'salesforce-contact': 'Contact', 'salesforce-account': 'Account' } as const;

/**
 * The two kinds of customer writes, flushed independently (a Pardot budget wait never holds Salesforce
 * writes back): prospects (Pardot API, one call each) and Salesforce records (Contacts and Accounts
 * together, 200 per sObject Collections call).
 */
export type CustomerWriteLane = 'prospects' | 'salesforce-records';
export const CUSTOMER_WRITE_LANES: readonly CustomerWriteLane[] = ['prospects', 'salesforce-records'];

/** What one round did. */
export interface FlushRound {
  readonly claimed: number;
  /** API calls made (prospect writes, sObject Collections calls). */
  readonly calls: number;
  /** Writes that turned out to change nothing (no call). */
  readonly unchanged: number;
  readonly failed: number;
}

/**
 * One round of customer writes of one lane whose coalescing window ended: prospects through the Pardot
 * API (≤ 5 at once; the shared limiter waits when the daily budget is spent — nothing is dropped), or
 * Contacts and Accounts of every customer gathered into sObject Collections calls of 200 records of
 * mixed types (allOrNone false: a refused record fails alone). Only values that changed since the last
 * write are sent; a write whose values the target already holds makes no call. Each written prospect is announced on `pardot.prospect.upserted.v1`
 * (its Pardot id joins the golden record; its `updatedAt` lets the Pardot poller recognise the echo).
 */
@Injectable()
export class FlushCustomerWritesUseCase {
  private readonly logger = new Logger(FlushCustomerWritesUseCase.name);
  private customFields?: { readonly ids: ReadonlySet<string>; readonly readAt: number };
  private readonly reportedMissing = new Set<string>();

  constructor(
    private readonly queue: CustomerWriteQueue,
    private readonly pardot: PardotClient,
    private readonly salesforce: SalesforceClient,
    private readonly producer: MessageProducer,
    @Inject(MESSAGING) private readonly messaging: Messaging,
    @Inject(SERVICE_CONFIG) private readonly config: PardotWriterConfig,
  ) {}

  async execute(lane: CustomerWriteLane): Promise<FlushRound> {
    const claimed =
      lane === 'prospects'
        ? await this.queue.claimProspects(PROSPECT_CLAIM_LIMIT)
        : await this.queue.claimSalesforceRecords(
            SALESFORCE_COLLECTION_LIMIT,
            SALESFORCE_CALLS_PER_ROUND,
            this.config.CUSTOMER_WRITE_SALESFORCE_GATHER_MS,
          );
    if (claimed.length === 0) return { claimed: 0, calls: 0, unchanged: 0, failed: 0 };
    // The round keeps its claims alive while it works; if it fails (the database went away), it gives
    // back what it did not settle, so nothing waits for a lease to run out.
    const renewal = new BackgroundLoop({
      name: `customer-writes:${lane}:lease-renewal`,
      intervalMs: LEASE_RENEWAL_MS,
      runAtStart: false,
      run: () => this.queue.renewLeases(claimed),
      onError: (error) =>
        this.logger.warn({ err: error }, 'could not renew the leases of the writes in hand'),
    });
    renewal.start();
    try {
      const written = await this.queue.written(claimed);
      const totals =
        lane === 'prospects'
          ? await this.writeProspects(claimed, written)
          : await this.writeSalesforceRecords(claimed, written);
      return { claimed: claimed.length, ...totals };
    } catch (error) {
      await renewal.stop();
      await this.queue.release(claimed).catch(() => undefined);
      throw error;
    } finally {
      await renewal.stop();
    }
  }

  private async writeProspects(
    claimed: readonly ClaimedWrite[],
    written: ReadonlyMap<string, WrittenState>,
  ): Promise<{ calls: number; unchanged: number; failed: number }> {
    const totals = { calls: 0, unchanged: 0, failed: 0 };
    const limit = pLimit(PROSPECT_CONCURRENCY);
    await Promise.all(
      claimed.map((write) =>
        limit(async () => {
          const outcome = await this.writeProspect(
            write,
            written.get(stateKey(write.target, write.targetKey)),
          );
          totals[outcome] += 1;
        }),
      ),
    );
    return totals;
  }

  private async writeProspect(
    write: ClaimedWrite,
    written: WrittenState | undefined,
  ): Promise<'calls' | 'unchanged' | 'failed'> {
    const email = typeof write.payload['email'] === 'string' ? write.payload['email'] : undefined;
    try {
      const values = await this.withoutUnknownCustomFields(changedValues(write.payload, written?.payload));
      if (Object.keys(values).length === 0) {
        await this.queue.complete(write, null);
        return 'unchanged';
      }
      let prospect: PardotProspect | undefined;
      for (const id of write.externalIds) {
        try {
          prospect = await this.pardot.updateProspect(Number(id), values, PROSPECT_FIELDS);
        } catch (error) {
          // A prospect deleted in Pardot since: the upsert by email below finds or recreates it.
          if (!(error instanceof PardotApiError && error.status === 404)) throw error;
        }
      }
      if (!prospect) {
        if (!email) throw new Error('the prospect has no email to upsert by');
        prospect = await this.pardot.upsertProspectByEmail(
          email,
          { ...values, email },
          { fields: PROSPECT_FIELDS },
        );
      }
      await this.announce(write, prospect, values);
      await this.queue.complete(write, String(prospect.id));
      return 'calls';
    } catch (error) {
      await this.failed(write, error, `prospect ${email ? maskEmail(email) : write.goldenId}`);
      return 'failed';
    }
  }

  /**
   * Pardot refuses a whole write naming a custom field it does not have (error 154). A golden record's
   * custom fields come from every source, so the fields Pardot lacks are left out (and reported once).
   */
  private async withoutUnknownCustomFields(
    values: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const custom = Object.keys(values).filter((field) => field.endsWith('__c'));
    if (custom.length === 0) return values;
    if (!this.customFields || Date.now() - this.customFields.readAt > CUSTOM_FIELDS_TTL_MS) {
      const fields = await this.pardot.listCustomFields(['id', 'fieldId']);
      this.customFields = {
        ids: new Set(fields.map((f) => String(f['fieldId'] ?? '')).filter(Boolean)),
        readAt: Date.now(),
      };
    }
    const known = this.customFields.ids;
    const out = { ...values };
    for (const field of custom.filter((f) => !known.has(f))) {
      delete out[field];
      if (!this.reportedMissing.has(field)) {
        this.reportedMissing.add(field);
        this.logger.warn(
          { field },
          `Pardot has no custom field ${field}: it is not written (create it in Pardot to sync it)`,
        );
      }
    }
    return out;
  }

  private async announce(
    write: ClaimedWrite,
    prospect: PardotProspect,
    sent: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    const text = (field: string): string | null =>
      typeof write.payload[field] === 'string' ? (write.payload[field] as string) : null;
    const customFields = Object.fromEntries(
      Object.entries(sent)
        .filter(([field, value]) => field.endsWith('__c') && value !== null && value !== undefined)
        .map(([field, value]) => [field, String(value)]),
    );
    const updatedAt = parseTime(prospect['updatedAt']) ?? new Date();
    const createdAt = parseTime(prospect['createdAt']);
    const event: Prospect = {
      goldenId: write.goldenId,
      prospectId: String(prospect.id),
      businessUnitId: this.config.PARDOT_BUSINESS_UNIT_ID,
      email: typeof prospect.email === 'string' ? prospect.email : (text('email') ?? ''),
      firstName: text('firstName'),
      lastName: text('lastName'),
      company: text('company'),
      salesforceLeadId: null,
      salesforceContactId: null,
      score: null,
      grade: null,
      customFields,
      created: createdAt !== undefined && createdAt.getTime() === updatedAt.getTime(),
      upsertedAt: updatedAt,
    };
    await this.producer.send(TOPICS.pardotProspectUpsertedV1, event, { occurredAt: updatedAt });
  }

  private async writeSalesforceRecords(
    writes: readonly ClaimedWrite[],
    written: ReadonlyMap<string, WrittenState>,
  ): Promise<{ calls: number; unchanged: number; failed: number }> {
    const totals = { calls: 0, unchanged: 0, failed: 0 };
    const changed: { write: ClaimedWrite; sobject: string; values: Record<string, unknown> }[] = [];
    for (const write of writes) {
      if (write.target === 'pardot-prospect') continue;
      const values = changedValues(
        write.payload,
        written.get(stateKey(write.target, write.targetKey))?.payload,
      );
      if (Object.keys(values).length === 0) {
        await this.queue.complete(write, null);
        totals.unchanged += 1;
      } else changed.push({ write, sobject: SOBJECT_OF[write.target], values });
    }
    for (let start = 0; start < changed.length; start += SALESFORCE_COLLECTION_LIMIT) {
      const chunk = changed.slice(start, start + SALESFORCE_COLLECTION_LIMIT);
      totals.calls += 1;
      try {
        const results = await this.salesforce.updateRecords(
          chunk.map(({ write, sobject, values }) => ({
            sobject,
            fields: { Id: write.targetKey, ...values },
          })),
        );
        for (const result of results) {
          const item = chunk[result.index];
          if (!item) continue;
          if (result.success) await this.queue.complete(item.write, null);
          else {
            totals.failed += 1;
            const reason = result.errors.map((e) => `${e.errorCode}: ${e.message}`).join('; ');
            const refusal = new SalesforceApiError(
              `Salesforce refused the ${item.sobject} update of ${item.write.targetKey}: ${reason}`,
              {
                operation: 'updateMany',
                kind: result.failure?.kind ?? 'permanent-data',
                errors: result.errors,
              },
            );
            await this.failed(item.write, refusal, `${item.sobject} ${item.write.targetKey}`);
          }
        }
      } catch (error) {
        totals.failed += chunk.length;
        for (const { write, sobject } of chunk)
          await this.failed(write, error, `${sobject} ${write.targetKey}`);
      }
    }
    return totals;
  }

  /**
   * A write that failed, on the failure policy's verdict: refused for good (bad data, configuration) →
   * parked on pardot-writer.customers.dlq with the target's error at once; transient or throttled → tried
   * again later (back-off, or the wait the limit asked for) until CUSTOMER_WRITE_GIVE_UP_AFTER_MS after it
   * was queued, then parked too. Nothing is dropped or kept as failed where nobody looks.
   */
  private async failed(write: ClaimedWrite, error: unknown, what: string): Promise<void> {
    const verdict = classifyFailure(error);
    const message = error instanceof Error ? error.message : String(error);
    const waitedMs = Date.now() - write.firstQueuedAt.getTime();
    if (isPermanent(verdict) || waitedMs >= this.config.CUSTOMER_WRITE_GIVE_UP_AFTER_MS) {
      await this.park(write, error, verdict, what);
      return;
    }
    const retryInMs =
      verdict.kind === 'throttled'
        ? Math.min(300_000, Math.max(1_000, verdict.retryAfterMs ?? 1_000))
        : this.backoffMs(write);
    await this.queue.retryLater(write, message, retryInMs);
    this.logger.warn(
      {
        target: write.target,
        goldenId: write.goldenId,
        attempts: write.attempts,
        failure: verdict.rule,
        retryInMs,
      },
      `writing ${what} failed (${verdict.kind}); trying again later: ${message}`,
    );
  }

  private async park(
    write: ClaimedWrite,
    error: unknown,
    verdict: FailureClassification,
    what: string,
  ): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const permanent = isPermanent(verdict);
    if (write.sourceMessage) {
      try {
        await this.messaging.parkDeferredEffect(
          CONSUMER_GROUPS.pardotWriterCustomers.name,
          write.sourceMessage,
          {
            error,
            reason: permanent ? 'NON_RETRIABLE_ERROR' : 'RETRIES_EXHAUSTED',
            attempts: write.attempts,
            firstFailedAt: write.firstQueuedAt.getTime(),
            rule: verdict.rule,
          },
        );
      } catch (parkError) {
        // The broker is unreachable: keep the write and park it on a later round.
        await this.queue.retryLater(write, message, 5_000);
        this.logger.warn(
          { err: parkError, target: write.target, goldenId: write.goldenId },
          `writing ${what} failed for good, and parking it failed too; trying again shortly`,
        );
        return;
      }
    }
    await this.queue.retire(write, message);
    this.logger.error(
      { target: write.target, goldenId: write.goldenId, attempts: write.attempts, failure: verdict.rule },
      write.sourceMessage
        ? `writing ${what} failed for good (${verdict.kind}); parked on ${CONSUMER_GROUPS.pardotWriterCustomers.name}.dlq: ${message}`
        : `writing ${what} failed for good (${verdict.kind}); kept as failed (queued before source messages were kept): ${message}`,
    );
  }

  /** 1 s, 2 s, 4 s … up to 5 minutes between attempts. */
  private backoffMs(write: ClaimedWrite): number {
    return Math.min(300_000, 1_000 * 2 ** Math.max(0, write.attempts - 1));
  }
}

function parseTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
