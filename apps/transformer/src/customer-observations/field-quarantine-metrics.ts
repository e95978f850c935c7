import { metricsRegistry } from '@pardot-x3/observability';
import { Counter } from 'prom-client';

let counter: Counter<'source' | 'entity' | 'field' | 'rule'> | undefined;

/**
 * `px3_mapping_fields_quarantined_total{source, entity, field, rule}`: optional fields left out of a
 * customer observation because the source value was invalid (field-level quarantine, ADR 0135), e.g.
 * `{source="X3", entity="BPCUSTOMER", field="phone", rule="invalid-phone"}`. Created once per process.
 */
export function fieldQuarantineCounter(): Counter<'source' | 'entity' | 'field' | 'rule'> {
  counter ??= new Counter({
    name: 'px3_mapping_fields_quarantined_total',
    help: 'Optional fields left out of a canonical event because the source value was invalid, per source, field and rule',
    labelNames: ['source', 'entity', 'field', 'rule'] as const,
    registers: [metricsRegistry],
  });
  return counter;
}
