import { Injectable } from '@nestjs/common';
import type { CustomerObservation, SourceRecordChanged } from '@pardot-x3/canonical';
import {
  customerObservationToCanonical,
  InvalidCustomerObservationError,
  parseCustomerObservation,
  type SourceEntity,
} from '@pardot-x3/customer-master';
import { mapRecord, MappingCatalog, sourceRecordInput, type MappingTemplate } from '@pardot-x3/mapping';
import { NonRetriableError } from '@pardot-x3/messaging';
import { fieldQuarantineCounter } from './field-quarantine-metrics.js';

const CUSTOMER_ENTITIES: Readonly<Record<string, readonly SourceEntity[]>> = {
  X3: ['BPCUSTOMER'],
  SALESFORCE: ['Lead', 'Contact', 'Account'],
  PARDOT: ['Prospect'],
};

export type CustomerMappingOutcome =
  | { readonly outcome: 'mapped'; readonly observation: CustomerObservation; readonly templateId: string }
  | { readonly outcome: 'skipped'; readonly templateId: string; readonly reason: string };

/**
 * One customer record of X3, Salesforce or Pardot (a source event) → the canonical customer
 * observation, through the template of its system and entity (`*-to-canonical`), checked against the
 * canonical contract. A deleted record becomes a `deleted` observation of its identity. Bad data
 * (invalid email, unknown country or currency, wrong types) is refused with every problem named:
 * a `NonRetriableError`, which the consumer parks in the dead-letter topic at once. An invalid
 * optional field whose rule says `onInvalid: warn` (the phone of the shipped templates) is left out
 * instead: the observation goes on and lists it in `quarantinedFields`, counted in
 * `px3_mapping_fields_quarantined_total` (field-level quarantine, ADR 0135).
 */
@Injectable()
export class MapCustomerSourceUseCase {
  constructor(private readonly catalog: MappingCatalog) {}

  execute(change: SourceRecordChanged): CustomerMappingOutcome {
    const entity = customerEntityOf(change);
    if (change.changeType === 'DELETED') {
      return {
        outcome: 'mapped',
        templateId: 'deletion',
        observation: customerObservationToCanonical(
          {
            sourceSystem: change.system,
            sourceEntity: entity,
            sourceId: change.recordId,
            observedAt: change.changedAt.getTime(),
          },
          { deleted: true },
        ),
      };
    }
    const template = this.templateFor(change);
    const result = mapRecord(template, sourceRecordInput(change));
    if (result.outcome === 'skipped')
      return { outcome: 'skipped', templateId: result.templateId, reason: result.reason };
    if (result.outcome === 'rejected')
      throw new NonRetriableError(
        `${result.templateId} rejected ${change.system} ${change.entity} ${change.recordId}: ${result.problems.map((p) => p.message).join('; ')}`,
      );
    try {
      const observation = parseCustomerObservation(result.record);
      const quarantinedFields = result.quarantined.map(({ field, rule, reason, sourceField }) => ({
        field,
        rule,
        reason,
        sourceField: sourceField ?? null,
      }));
      const quarantine = fieldQuarantineCounter();
      for (const { field, rule } of quarantinedFields)
        quarantine.inc({ source: change.system, entity: change.entity, field, rule });
      return {
        outcome: 'mapped',
        templateId: result.templateId,
        observation: customerObservationToCanonical(observation, { quarantinedFields }),
      };
    } catch (error) {
      if (error instanceof InvalidCustomerObservationError || error instanceof RangeError)
        throw new NonRetriableError(
          `${result.templateId} made an invalid customer observation of ${change.system} ${change.entity} ${change.recordId}: ${error.message}`,
          { cause: error },
        );
      throw error;
    }
  }

  private templateFor(change: SourceRecordChanged): MappingTemplate {
    const templates = this.catalog
      .forSource(change.system, change.entity)
      .filter((t) => t.target.system === 'CANONICAL' && t.target.entity === 'CustomerObservation');
    const [template, ...others] = templates;
    if (!template)
      throw new NonRetriableError(
        `no mapping template turns ${change.system} ${change.entity} into a CustomerObservation (config/mappings)`,
      );
    if (others.length > 0)
      throw new NonRetriableError(
        `several mapping templates turn ${change.system} ${change.entity} into a CustomerObservation: ${templates.map((t) => t.id).join(', ')}`,
      );
    return template;
  }
}

function customerEntityOf(change: SourceRecordChanged): SourceEntity {
  const entity = CUSTOMER_ENTITIES[change.system]?.find((e) => e === change.entity);
  if (!entity)
    throw new NonRetriableError(
      `${change.system} ${change.entity} is not a customer record (${change.recordId})`,
    );
  return entity;
}
