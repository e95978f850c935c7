import { Injectable } from '@nestjs/common';
import type { AvroRecordSchema, SourceRecordChanged } from '@pardot-x3/canonical';
import { mapToCanonical, MappingCatalog, numberLines, sourceRecordInput } from '@pardot-x3/mapping';
import { NonRetriableError } from '@pardot-x3/messaging';

export type ErpEventOutcome<V> =
  | { readonly outcome: 'mapped'; readonly value: V }
  | { readonly outcome: 'skipped'; readonly reason: string };

/**
 * An X3 record (order, delivery, invoice) → its canonical sales event through the record's template
 * (`x3-sales-order-to-canonical`, `x3-delivery-to-canonical`, `x3-invoice-to-canonical`), lines
 * numbered from 1. Deleted records and those the template's `when:` leaves out (a delivery not
 * validated yet) make no event; bad data is refused with every problem (dead-letter topic).
 */
@Injectable()
export class MapErpEventUseCase {
  constructor(private readonly catalog: MappingCatalog) {}

  execute<V>(
    change: SourceRecordChanged,
    templateName: string,
    schema: AvroRecordSchema<V>,
  ): ErpEventOutcome<V> {
    if (change.changeType === 'DELETED') return { outcome: 'skipped', reason: 'the record was deleted' };
    const result = mapToCanonical(this.catalog.get(templateName), sourceRecordInput(change), schema, {
      prepare: (record) => numberLines(record),
    });
    if (result.outcome === 'skipped') return { outcome: 'skipped', reason: result.reason };
    if (result.outcome === 'rejected')
      throw new NonRetriableError(
        `${result.templateId} rejected ${change.system} ${change.entity} ${change.recordId}: ${result.problems.join('; ')}`,
      );
    return { outcome: 'mapped', value: result.value };
  }
}
