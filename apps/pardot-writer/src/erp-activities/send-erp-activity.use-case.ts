import { Inject, Injectable, Logger } from '@nestjs/common';
import { NonRetriableError } from '@pardot-x3/messaging';
import { maskEmail, PardotClient } from '@pardot-x3/pardot-connector';
import type { EntityManager } from '@pardot-x3/persistence';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
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

/**
 * Sends one X3 event as an Account Engagement external activity (extension PARDOT_EXTERNAL_ACTIVITY_EXTENSION,
 * type from ERP_ACTIVITY_TYPES, value = the order number) to the customer's prospect, found by e-mail,
 * exactly once per type and business key: the key is recorded in the same transaction as the event's
 * inbox row, before the call.
 */
@Injectable()
export class SendErpActivityUseCase {
  private readonly logger = new Logger(SendErpActivityUseCase.name);

  constructor(
    private readonly pardot: PardotClient,
    private readonly directory: CustomerDirectory,
    @Inject(SERVICE_CONFIG) private readonly config: PardotWriterConfig,
  ) {}

  async execute(activity: ErpActivity, manager: EntityManager): Promise<ErpActivityOutcome> {
    const type = this.config.ERP_ACTIVITY_TYPES.get(activity.kind);
    if (!type) return 'not-configured';
    if (!this.config.PARDOT_EXTERNAL_ACTIVITY_EXTENSION)
      throw new NonRetriableError(
        'PARDOT_EXTERNAL_ACTIVITY_EXTENSION is not set: external activities cannot be sent (docs/flows/activities.md); re-drive the dead letters once it is',
      );
    const email = activity.email ?? (await this.recipient(activity.x3CustomerCode, manager));
    const value = activity.value.slice(0, MAX_VALUE_LENGTH);
    const inserted = (await manager.query(
      `INSERT INTO pardot_writer_erp_activity (activity_type, business_key, email, value, sent_at)
       VALUES ($1, $2, $3, $4, now()) ON CONFLICT DO NOTHING RETURNING business_key`,
      [type, activity.businessKey, email, value],
    )) as unknown[];
    if (inserted.length === 0) return 'already-sent';
    // A failure rolls back the business key with the event: the consumer runner's failure policy decides
    // (refused → the group's dead-letter topic at once; 5xx, 183 → retried; 66, 122 → the partition waits).
    await this.pardot.createExternalActivity({ type, email, value, activityDate: activity.occurredAt });
    this.logger.log(
      { type, businessKey: activity.businessKey, value, prospect: maskEmail(email) },
      'external activity sent',
    );
    return 'sent';
  }

  private async recipient(code: string, manager: EntityManager): Promise<string> {
    const recipient = await this.directory.recipientOfX3Customer(manager, code);
    if (recipient.kind === 'email') return recipient.email;
    throw new RecipientUnknownError(code, recipient.kind === 'no-email');
  }
}
