import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONSUMER_GROUPS, type GoldenCustomer as CanonicalGoldenCustomer } from '@pardot-x3/canonical';
import { goldenCustomerFromCanonical, type GoldenCustomer } from '@pardot-x3/customer-master';
import { mapRecord, type FieldProblem, type MappingTemplate } from '@pardot-x3/mapping';
import { NonRetriableError, type Messaging, type ParkableMessage } from '@pardot-x3/messaging';
import { MESSAGING } from '@pardot-x3/messaging-nest';
import type { EntityManager } from 'typeorm';
import { CUSTOMER_WRITE_TEMPLATES, type CustomerWriteTemplates } from './customer-write-templates.js';
import type { CustomerWriteTarget, WritePayload } from './customer-write-target.js';
import { CustomerWriteQueue } from './customer-write-queue.js';

/** A target's template refuses the golden record's values (a value too long, an invalid email…). */
export class CustomerWriteRefusedError extends NonRetriableError {
  constructor(
    readonly templateId: string,
    goldenId: string,
    readonly problems: readonly FieldProblem[],
  ) {
    super(
      `${templateId} cannot write golden customer ${goldenId}: ${problems.map((p) => `${p.field} (${p.code}): ${p.message}`).join('; ')}`,
    );
    this.name = 'CustomerWriteRefusedError';
  }
}

/** A golden record's new version to plan the writes of, in the caller's transaction (`manager`). */
export interface PlanCustomerWritesCommand {
  readonly manager: EntityManager;
  readonly golden: CanonicalGoldenCustomer;
  /** The event as read, kept with each queued write so a write that fails for good can be parked. */
  readonly source?: ParkableMessage;
}

/** How many target writes one golden record change queued. */
export interface PlannedWrites {
  readonly queued: number;
  readonly unchanged: number;
  readonly skipped: number;
}

/**
 * A golden record's new state → the writes it needs, queued for the end of their coalescing window:
 * its Pardot prospect (`golden-to-pardot-prospect`, upserted by email or written to the
 * cross-referenced prospect ids) and each cross-referenced Salesforce Contact and Account
 * (`golden-to-salesforce-contact` / `-account`). A target whose template skips the record (a golden
 * record without email has no prospect) or whose values are those already written needs nothing.
 */
@Injectable()
export class PlanCustomerWritesUseCase {
  private readonly logger = new Logger(PlanCustomerWritesUseCase.name);

  constructor(
    private readonly queue: CustomerWriteQueue,
    @Inject(CUSTOMER_WRITE_TEMPLATES) private readonly templates: CustomerWriteTemplates,
    @Inject(MESSAGING) private readonly messaging: Messaging,
  ) {}

  async execute(command: PlanCustomerWritesCommand): Promise<PlannedWrites> {
    const { manager, golden: canonical, source } = command;
    const golden = goldenCustomerFromCanonical(canonical);
    const targets: { target: CustomerWriteTarget; key: string; externalIds?: readonly string[] }[] = [
      { target: 'pardot-prospect', key: golden.goldenId, externalIds: golden.xrefs.pardotProspectIds },
      ...golden.xrefs.salesforceContactIds.map((id) => ({ target: 'salesforce-contact' as const, key: id })),
      ...golden.xrefs.salesforceAccountIds.map((id) => ({ target: 'salesforce-account' as const, key: id })),
    ];
    const totals = { queued: 0, unchanged: 0, skipped: 0 };
    for (const { target, key, externalIds } of targets) {
      const payload = await this.payloadOf(this.templates[target], golden, source);
      if (!payload) {
        totals.skipped += 1;
        continue;
      }
      const queued = await this.queue.enqueue(manager, {
        target,
        targetKey: key,
        goldenId: golden.goldenId,
        goldenVersion: golden.version,
        payload,
        externalIds,
        sourceMessage: source,
      });
      totals[queued ? 'queued' : 'unchanged'] += 1;
    }
    return totals;
  }

  private async payloadOf(
    template: MappingTemplate,
    golden: GoldenCustomer,
    source: ParkableMessage | undefined,
  ): Promise<WritePayload | undefined> {
    const result = mapRecord(template, golden);
    if (result.outcome === 'mapped') return result.record;
    if (result.outcome === 'rejected') {
      const refusal = new CustomerWriteRefusedError(result.templateId, golden.goldenId, result.problems);
      if (source)
        await this.messaging.parkDeferredEffect(CONSUMER_GROUPS.pardotWriterCustomers.name, source, {
          error: refusal,
          reason: 'NON_RETRIABLE_ERROR',
          attempts: 1,
          firstFailedAt: Date.now(),
          rule: `${result.templateId} refused the record`,
        });
      this.logger.warn(
        {
          goldenId: golden.goldenId,
          templateId: result.templateId,
          fields: result.problems.map((p) => p.field),
        },
        `${refusal.message}; parked on ${CONSUMER_GROUPS.pardotWriterCustomers.name}.dlq, the other targets are written`,
      );
    }
    return undefined;
  }
}
