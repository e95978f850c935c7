import type { AvroRecordSchema } from '@pardot-x3/canonical';
import { mapRecord } from '../engine/mapping.engine.js';
import type { FieldProblem, MappedRecord } from '../engine/mapping-result.types.js';
import type { MappingTemplate } from '../template/mapping-template.types.js';
import { toCanonicalValue } from './canonical-value.converter.js';

/** A source record through a template into a canonical event, or why not. */
export type CanonicalMapping<V> =
  | {
      readonly outcome: 'mapped';
      readonly value: V;
      readonly templateId: string;
      readonly warnings: readonly FieldProblem[];
    }
  /** The template's `when:` did not hold: nothing to publish, nothing wrong. */
  | { readonly outcome: 'skipped'; readonly templateId: string; readonly reason: string }
  /** Bad data: every problem, in words a user can act on (the caller dead-letters the event). */
  | { readonly outcome: 'rejected'; readonly templateId: string; readonly problems: readonly string[] };

export interface MapToCanonicalOptions {
  /** Adjusts the template's output before it is checked against the schema (e.g. numbers the lines). */
  readonly prepare?: (record: MappedRecord) => MappedRecord;
}

/**
 * Applies a template to a source record and builds the canonical event from its output
 * ({@link toCanonicalValue}): the one path from a source system's fields to a typed event, so field
 * names live in the template and types in the schema.
 */
export function mapToCanonical<V>(
  template: MappingTemplate,
  source: unknown,
  schema: AvroRecordSchema<V>,
  options: MapToCanonicalOptions = {},
): CanonicalMapping<V> {
  const templateId = template.id;
  const mapped = mapRecord(template, source);
  if (mapped.outcome === 'skipped') return { outcome: 'skipped', templateId, reason: mapped.reason };
  if (mapped.outcome === 'rejected')
    return { outcome: 'rejected', templateId, problems: mapped.problems.map((p) => p.message) };
  const record = options.prepare ? options.prepare(mapped.record) : mapped.record;
  const converted = toCanonicalValue(schema, record);
  if (!converted.ok)
    return {
      outcome: 'rejected',
      templateId,
      problems: converted.problems.map((p) => `${p} (output of ${templateId})`),
    };
  return { outcome: 'mapped', value: converted.value, templateId, warnings: mapped.warnings };
}

/** Numbers the records of a list field from 1, in order (X3 line numbers 1000, 2000… are not positions). */
export function numberLines(record: MappedRecord, field = 'lines', as = 'lineNumber'): MappedRecord {
  const lines = record[field];
  if (!Array.isArray(lines)) return record;
  return {
    ...record,
    [field]: lines.map((line, index) =>
      line !== null && typeof line === 'object' && !Array.isArray(line) ? { ...line, [as]: index + 1 } : line,
    ),
  };
}
