import { isCountryCode, isCurrencyCode, parseYamlConfig, type MappedRecord } from '@pardot-x3/mapping';
import { z } from 'zod';

/** The financial fields an X3 customer must have, and the X3 field each is written to. */
export interface X3FinancialDefaults {
  /** BCGCOD */
  readonly category?: string;
  /** CUR */
  readonly currency?: string;
  /** PTE */
  readonly paymentTerms?: string;
  /** VACBPR */
  readonly taxRule?: string;
}

export interface X3CustomerDefaults {
  readonly version: number;
  readonly defaults: Required<X3FinancialDefaults>;
  /** Overrides per customer country (ISO 3166-1 alpha-2): a UK customer invoices in GBP under the UK tax rule. */
  readonly byCountry: Readonly<Record<string, X3FinancialDefaults>>;
}

const FIELD_OF: Readonly<Record<keyof X3FinancialDefaults, string>> = {
  category: 'BCGCOD',
  currency: 'CUR',
  paymentTerms: 'PTE',
  taxRule: 'VACBPR',
};

const financial = z.strictObject({
  category: z.string().min(1).optional(),
  currency: z.string().optional(),
  paymentTerms: z.string().min(1).optional(),
  taxRule: z.string().min(1).optional(),
});
const schema = z.strictObject({
  version: z.number().int().min(1),
  defaults: z.strictObject({
    category: z.string().min(1),
    currency: z.string(),
    paymentTerms: z.string().min(1),
    taxRule: z.string().min(1),
  }),
  byCountry: z.record(z.string(), financial).optional(),
});

/** Reads config/x3-customer-defaults.yaml; errors point at the line. */
export function parseX3CustomerDefaults(text: string, fileName: string): X3CustomerDefaults {
  const raw = parseYamlConfig(text, fileName, schema, (policy, report) => {
    if (!isCurrencyCode(policy.defaults.currency))
      report(['defaults', 'currency'], `"${policy.defaults.currency}" is not an ISO 4217 currency code`);
    for (const [country, overrides] of Object.entries(policy.byCountry ?? {})) {
      if (!isCountryCode(country))
        report(['byCountry', country], `"${country}" is not an ISO 3166-1 alpha-2 country code`, {
          at: 'key',
        });
      if (overrides.currency !== undefined && !isCurrencyCode(overrides.currency))
        report(
          ['byCountry', country, 'currency'],
          `"${overrides.currency}" is not an ISO 4217 currency code`,
        );
    }
  });
  return { version: raw.version, defaults: raw.defaults, byCountry: raw.byCountry ?? {} };
}

export interface AppliedDefault {
  readonly field: string;
  readonly value: string;
  readonly reason: string;
}

export type X3CustomerPlan =
  | { readonly action: 'use-existing'; readonly customerCode: string; readonly note?: string }
  | {
      readonly action: 'create';
      /** X3 BPCUSTOMER fields: the template's output with the financial defaults filled in. */
      readonly customer: MappedRecord;
      readonly appliedDefaults: readonly AppliedDefault[];
      /** Create at most once per key (the golden id), so two orders of one new customer never make two. */
      readonly idempotencyKey: string;
    };

export interface X3CustomerPlanInput {
  /** X3 codes already cross-referenced to the customer (golden record xrefs.x3CustomerCodes). */
  readonly existingCustomerCodes: readonly string[];
  /** Output of the `golden-to-x3-customer` template. */
  readonly customer: MappedRecord;
  /** Stable identity of the customer across retries, e.g. the golden id. */
  readonly customerKey: string;
}

/**
 * Makes sure an order's customer exists in X3: the known X3 customer if there is one, otherwise a
 * creation with the configured financial defaults (category, currency, payment terms, tax rule) for
 * every field the data did not give.
 */
export function planX3Customer(input: X3CustomerPlanInput, policy: X3CustomerDefaults): X3CustomerPlan {
  const codes = [...input.existingCustomerCodes].sort();
  const [first] = codes;
  if (first !== undefined) {
    return codes.length > 1
      ? {
          action: 'use-existing',
          customerCode: first,
          note: `the customer has ${codes.length} X3 codes (${codes.join(', ')}); ${first} is used`,
        }
      : { action: 'use-existing', customerCode: first };
  }
  const customer: MappedRecord = { ...input.customer };
  const country = typeof customer['CRY'] === 'string' ? customer['CRY'] : undefined;
  const overrides = country !== undefined ? policy.byCountry[country] : undefined;
  const appliedDefaults: AppliedDefault[] = [];
  for (const key of Object.keys(FIELD_OF) as (keyof X3FinancialDefaults)[]) {
    const field = FIELD_OF[key];
    const current = customer[field];
    if (typeof current === 'string' && current.trim() !== '') continue;
    const fromCountry = overrides?.[key];
    const value = fromCountry ?? policy.defaults[key];
    customer[field] = value;
    appliedDefaults.push({
      field,
      value,
      reason: fromCountry !== undefined ? `default for customers in ${country}` : 'company default',
    });
  }
  return { action: 'create', customer, appliedDefaults, idempotencyKey: `x3-customer:${input.customerKey}` };
}
