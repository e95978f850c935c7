import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONSUMER_GROUPS, type SalesOrderReply } from '@pardot-x3/canonical';
import type { Messaging, ParkableMessage } from '@pardot-x3/messaging';
import { MESSAGING } from '@pardot-x3/messaging-nest';
import type { EntityManager } from '@pardot-x3/persistence';
import {
  SALESFORCE_COLLECTION_LIMIT,
  SalesforceApiError,
  SalesforceClient,
} from '@pardot-x3/salesforce-connector';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { In } from 'typeorm';
import type { PardotWriterConfig } from '../pardot-writer.config.js';
import { ORDER_OUTCOME_FIELDS } from './order-outcome-fields.constants.js';
import { OrderOutcomeWrittenEntity } from './order-outcome-written.entity.js';

export interface OrderOutcomeWrites {
  readonly written: number;
  readonly unchanged: number;
  /** Opportunities Salesforce refused for good (deleted, not visible): parked on the group's dead-letter topic. */
  readonly refused: number;
}

/** One order reply and the event it came in, to park if Salesforce refuses it for good. */
export interface OrderReplyToWrite {
  readonly reply: SalesOrderReply;
  readonly source: ParkableMessage;
}

/** A batch of order replies to write onto their Opportunities, in the consumer's transaction. */
export interface WriteOrderOutcomesCommand {
  readonly replies: readonly OrderReplyToWrite[];
  readonly manager: EntityManager;
}

/**
 * Writes X3 order outcomes onto their Opportunities — the order number and `Created`, or `Rejected`
 * and the reason (cut to the field's length) — many at once (sObject Collections, ≤ 200 a call). An
 * outcome already written is skipped. A record Salesforce refuses for good is parked on
 * pardot-writer.order-confirmations.dlq with Salesforce's error (re-drivable after a fix); a failure
 * worth another try fails the batch, which is then handled again reply by reply.
 */
@Injectable()
export class WriteOrderOutcomesUseCase {
  private readonly logger = new Logger(WriteOrderOutcomesUseCase.name);

  constructor(
    private readonly salesforce: SalesforceClient,
    @Inject(MESSAGING) private readonly messaging: Messaging,
    @Inject(SERVICE_CONFIG) private readonly config: PardotWriterConfig,
  ) {}

  async execute({ replies, manager }: WriteOrderOutcomesCommand): Promise<OrderOutcomeWrites> {
    // The last reply of an opportunity wins (replies of one opportunity arrive in order: same key).
    const latest = new Map<string, Record<string, string | null>>();
    const sources = new Map<string, ParkableMessage>();
    for (const { reply, source } of replies) {
      latest.set(reply.opportunityId, this.fieldValues(reply));
      sources.set(reply.opportunityId, source);
    }
    const repository = manager.getRepository(OrderOutcomeWrittenEntity);
    const written = await repository.find({ where: { opportunityId: In([...latest.keys()]) } });
    const before = new Map(written.map((row) => [row.opportunityId, row.writtenValues]));
    const changes = [...latest].filter(([id, values]) => !isDeepStrictEqual(before.get(id), values));
    let refused = 0;
    for (let start = 0; start < changes.length; start += SALESFORCE_COLLECTION_LIMIT) {
      const chunk = changes.slice(start, start + SALESFORCE_COLLECTION_LIMIT);
      const results = await this.salesforce.updateMany(
        'Opportunity',
        chunk.map(([id, values]) => ({ Id: id, ...values })),
      );
      const retry = results.filter((r) => !r.success && r.retryable);
      const first = retry[0];
      if (first)
        throw new SalesforceApiError(
          `Salesforce could not update ${retry.length} Opportunities now (${first.errors[0]?.errorCode ?? 'unknown'}); trying again`,
          { operation: 'updateMany', kind: first.failure?.kind ?? 'transient', errors: first.errors },
        );
      const now = new Date();
      const saved: OrderOutcomeWrittenEntity[] = [];
      for (const result of results) {
        const [id, values] = chunk[result.index] ?? [];
        if (!id || !values) continue;
        if (result.success) saved.push({ opportunityId: id, writtenValues: values, writtenAt: now });
        else {
          refused += 1;
          const reasons = result.errors.map((e) => `${e.errorCode}: ${e.message}`).join('; ');
          const source = sources.get(id);
          if (source)
            await this.messaging.parkDeferredEffect(
              CONSUMER_GROUPS.pardotWriterOrderConfirmations.name,
              source,
              {
                error: new SalesforceApiError(
                  `Salesforce refused the X3 order outcome of Opportunity ${id}: ${reasons}`,
                  {
                    operation: 'updateMany',
                    kind: result.failure?.kind ?? 'permanent-data',
                    errors: result.errors,
                  },
                ),
                reason: 'NON_RETRIABLE_ERROR',
                attempts: 1,
                firstFailedAt: Date.now(),
                rule: result.failure?.rule,
              },
            );
          this.logger.warn(
            { opportunityId: id, errors: result.errors.map((e) => e.errorCode) },
            `Salesforce refused the X3 order outcome of the opportunity (parked on the dead-letter topic): ${reasons}`,
          );
        }
      }
      if (saved.length > 0) await repository.save(saved);
    }
    return { written: changes.length - refused, unchanged: latest.size - changes.length, refused };
  }

  private fieldValues(reply: SalesOrderReply): Record<string, string | null> {
    const fields = ORDER_OUTCOME_FIELDS;
    if (reply.outcome === 'CREATED')
      return {
        [fields.orderNumber]: reply.created?.orderNumber ?? null,
        [fields.status]: 'Created',
        [fields.rejectionReason]: null,
      };
    const message = reply.rejected?.message ?? 'Sage X3 refused the order';
    const max = this.config.ORDER_OUTCOME_MESSAGE_MAX_LENGTH;
    return {
      [fields.orderNumber]: null,
      [fields.status]: 'Rejected',
      [fields.rejectionReason]: message.length > max ? `${message.slice(0, max - 1)}…` : message,
    };
  }
}
