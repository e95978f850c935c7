import { explainGoldenCustomer, type GoldenCustomer } from '@pardot-x3/customer-master';

/** A golden record as the HTTP API shows it: times as ISO-8601, provenance per field. */
export interface GoldenCustomerView {
  readonly goldenId: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly xrefs: GoldenCustomer['xrefs'];
  readonly mergedFrom: readonly string[];
}

/** One field of a golden record: its value, where it came from and why it has it. */
export interface FieldExplanationView {
  readonly field: string;
  readonly value: unknown;
  readonly system: string;
  readonly entity: string;
  readonly sourceId: string;
  readonly observedAt: string;
  readonly rule: string;
  readonly explanation: string;
}

const NOT_FIELDS = new Set([
  'goldenId',
  'version',
  'createdAt',
  'updatedAt',
  'xrefs',
  'provenance',
  'mergedFrom',
]);

export function goldenCustomerView(golden: GoldenCustomer): GoldenCustomerView {
  return {
    goldenId: golden.goldenId,
    version: golden.version,
    createdAt: new Date(golden.createdAt).toISOString(),
    updatedAt: new Date(golden.updatedAt).toISOString(),
    fields: Object.fromEntries(Object.entries(golden).filter(([key]) => !NOT_FIELDS.has(key))),
    xrefs: golden.xrefs,
    mergedFrom: golden.mergedFrom,
  };
}

export function explanationView(golden: GoldenCustomer): FieldExplanationView[] {
  return explainGoldenCustomer(golden).map(({ field, value, provenance }) => ({
    field,
    value,
    system: provenance.system,
    entity: provenance.entity,
    sourceId: provenance.sourceId,
    observedAt: new Date(provenance.observedAt).toISOString(),
    rule: provenance.rule,
    explanation: provenance.explanation,
  }));
}
