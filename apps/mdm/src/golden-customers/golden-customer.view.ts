import { MASK, maskEmail, maskPhone, maskText } from '@pardot-x3/access';
import { explainGoldenCustomer, type GoldenCustomer } from '@pardot-x3/customer-master';
import type { QuarantinedFieldRow } from '../data-quality/field-quarantine.store.js';

/** Whether the caller reads personal data in clear (roles pii and operator) or masked (viewer). */
export interface ViewOptions {
  readonly personalData: 'clear' | 'masked';
}

/** A golden record as the HTTP API shows it: times as ISO-8601, provenance per field. */
export interface GoldenCustomerView {
  readonly goldenId: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly xrefs: GoldenCustomer['xrefs'];
  readonly mergedFrom: readonly string[];
  /** Fields its source records' observations left out because the source value was invalid (ADR 0135). */
  readonly dataQuality: readonly QuarantinedFieldView[];
}

/**
 * A field a source record of the golden customer carries an invalid value in, left out of the sync:
 * `{"system":"X3","entity":"BPCUSTOMER","sourceId":"C00017","field":"phone","rule":"invalid-phone",
 * "reason":"is not a valid phone number for US","sourceField":"TEL",…}`. The value is not kept.
 */
export interface QuarantinedFieldView {
  readonly system: string;
  readonly entity: string;
  readonly sourceId: string;
  readonly field: string;
  readonly rule: string;
  readonly reason: string;
  readonly sourceField: string | null;
  readonly observedAt: string;
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

/**
 * The personal data of a golden record, masked for callers without the pii role: names, email, phone
 * and the street, postal code and city of the address. Company, codes, segments and scores stay.
 */
const PERSONAL_FIELDS: Readonly<Record<string, (value: unknown) => unknown>> = {
  email: (v) => (typeof v === 'string' ? maskEmail(v) : v),
  phone: (v) => (typeof v === 'string' ? maskPhone(v) : v),
  firstName: (v) => (typeof v === 'string' ? maskText(v) : v),
  lastName: (v) => (typeof v === 'string' ? maskText(v) : v),
  address: (v) => {
    if (typeof v !== 'object' || v === null) return v;
    const address = v as Record<string, unknown>;
    const hide = (key: string) => (address[key] === null || address[key] === undefined ? address[key] : MASK);
    return {
      ...address,
      line1: hide('line1'),
      line2: hide('line2'),
      postalCode: hide('postalCode'),
      city: typeof address['city'] === 'string' ? maskText(address['city']) : address['city'],
    };
  },
};

function shown(field: string, value: unknown, options: ViewOptions): unknown {
  const mask = options.personalData === 'masked' ? PERSONAL_FIELDS[field] : undefined;
  return mask ? mask(value) : value;
}

export function dataQualityView(rows: readonly QuarantinedFieldRow[]): QuarantinedFieldView[] {
  return rows.map((row) => ({ ...row, observedAt: row.observedAt.toISOString() }));
}

export function goldenCustomerView(
  golden: GoldenCustomer,
  options: ViewOptions,
  quarantined: readonly QuarantinedFieldRow[] = [],
): GoldenCustomerView {
  return {
    goldenId: golden.goldenId,
    version: golden.version,
    createdAt: new Date(golden.createdAt).toISOString(),
    updatedAt: new Date(golden.updatedAt).toISOString(),
    fields: Object.fromEntries(
      Object.entries(golden)
        .filter(([key]) => !NOT_FIELDS.has(key))
        .map(([key, value]) => [key, shown(key, value, options)]),
    ),
    xrefs: golden.xrefs,
    mergedFrom: golden.mergedFrom,
    dataQuality: dataQualityView(quarantined),
  };
}

export function explanationView(golden: GoldenCustomer, options: ViewOptions): FieldExplanationView[] {
  return explainGoldenCustomer(golden).map(({ field, value, provenance }) => ({
    field,
    value: shown(field, value, options),
    system: provenance.system,
    entity: provenance.entity,
    sourceId: provenance.sourceId,
    observedAt: new Date(provenance.observedAt).toISOString(),
    rule: provenance.rule,
    explanation: provenance.explanation,
  }));
}
