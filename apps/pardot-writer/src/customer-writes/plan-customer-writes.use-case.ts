import { Inject, Injectable, Logger } from '@nestjs/common';
import type { GoldenCustomer as CanonicalGoldenCustomer } from '@pardot-x3/canonical';
import { goldenCustomerFromCanonical, type GoldenCustomer } from '@pardot-x3/customer-master';
import { mapRecord, type MappingTemplate } from '@pardot-x3/mapping';
import type { ParkableMessage } from '@pardot-x3/messaging';
import type { EntityManager } from 'typeorm';
import { CUSTOMER_WRITE_TEMPLATES, type CustomerWriteTemplates } from './customer-write-templates.js';
import type { CustomerWriteTarget, WritePayload } from './customer-write-target.js';
import { CustomerWriteQueue } from './customer-write-queue.js';

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
  ) {}

  /** `source`: the event as read, kept with each queued write so a write that fails for good can be parked. */
  async execute(
    canonical: CanonicalGoldenCustomer,
    manager: EntityManager,
    source?: ParkableMessage,
  ): Promise<PlannedWrites> {
    const golden = goldenCustomerFromCanonical(canonical);
    const targets: { target: CustomerWriteTarget; key: string; externalIds?: readonly string[] }[] = [
      { target: 'pardot-prospect', key: golden.goldenId, externalIds: golden.xrefs.pardotProspectIds },
      ...golden.xrefs.salesforceContactIds.map((id) => ({ target: 'salesforce-contact' as const, key: id })),
      ...golden.xrefs.salesforceAccountIds.map((id) => ({ target: 'salesforce-account' as const, key: id })),
    ];
    const totals = { queued: 0, unchanged: 0, skipped: 0 };
    for (const { target, key, externalIds } of targets) {
      const payload = this.payloadOf(this.templates[target], golden);
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

  private payloadOf(template: MappingTemplate, golden: GoldenCustomer): WritePayload | undefined {
    const result = mapRecord(template, golden);
    if (result.outcome === 'mapped') return result.record;
    if (result.outcome === 'rejected')
      this.logger.warn(
        {
          goldenId: golden.goldenId,
          templateId: result.templateId,
          fields: result.problems.map((p) => p.field),
        },
        `${result.templateId} cannot write golden customer ${golden.goldenId}: ${result.problems.length} field(s) refused; the other targets are written`,
      );
    return undefined;
  }
}
