import { displayValue, harmoniseEmail, isCountryCode, isCurrencyCode } from '@pardot-x3/mapping';
import { z } from 'zod';
import { ENTITIES_BY_SYSTEM } from './customer-field.constants.js';
import type { CustomerObservation } from './customer.types.js';

/** A record that is not a valid canonical customer observation; `problems` name each field. */
export class InvalidCustomerObservationError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`not a valid customer observation: ${problems.join('; ')}`);
    this.name = 'InvalidCustomerObservationError';
    this.problems = problems;
  }
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  object: 'a record',
  array: 'a list',
  record: 'a record',
  boolean: 'true or false',
};

const text = z.string().trim().min(1, 'must not be blank');
const nullableText = text.nullable().optional();
const email = z
  .string()
  .refine((value) => {
    const result = harmoniseEmail(value);
    return result.ok && result.value === value;
  }, 'must be a valid email address in canonical (trimmed, lower-case) form')
  .nullable()
  .optional();
const country = z
  .string()
  .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 code such as FR')
  .nullable()
  .optional();
const currency = z.string().refine(isCurrencyCode, 'must be an ISO 4217 code such as EUR');
const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number written with a dot, such as 1234.5');

const observationSchema = z.strictObject({
  sourceSystem: z.enum(['X3', 'SALESFORCE', 'PARDOT']),
  sourceEntity: z.enum(['BPCUSTOMER', 'Lead', 'Contact', 'Account', 'Prospect']),
  sourceId: text,
  observedAt: z.number().int('must be whole milliseconds since 1970').nonnegative(),
  email,
  firstName: nullableText,
  lastName: nullableText,
  companyName: nullableText,
  phone: z
    .string()
    .regex(/^\+[1-9]\d{5,14}$/, 'must be an E.164 phone number such as +33142685300')
    .nullable()
    .optional(),
  address: z
    .strictObject({
      line1: nullableText,
      line2: nullableText,
      city: nullableText,
      postalCode: nullableText,
      region: nullableText,
      countryCode: country,
    })
    .nullable()
    .optional(),
  customerCode: nullableText,
  customerGroup: nullableText,
  currencyCode: currency.nullable().optional(),
  paymentTerms: nullableText,
  creditStatus: z.enum(['OK', 'CHECK', 'HOLD']).nullable().optional(),
  totalRevenue: z.object({ amount: decimal, currencyCode: currency }).nullable().optional(),
  lastPurchaseDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
    .nullable()
    .optional(),
  industrySegment: nullableText,
  pardotGrade: nullableText,
  pardotScore: z.number().int().nullable().optional(),
  customFields: z.record(z.string(), z.string().nullable()).optional(),
});

/**
 * Checks that a record (typically a mapping template's output) is a canonical customer observation:
 * known system and entity, harmonised email, phone, country and currency. Unknown keys are refused,
 * so a template that writes a misspelt field is caught instead of losing the value.
 */
export function parseCustomerObservation(value: unknown): CustomerObservation {
  const result = observationSchema.safeParse(value, { reportInput: true });
  if (!result.success) {
    throw new InvalidCustomerObservationError(
      result.error.issues.map((issue) => {
        const field = issue.path.join('.') || 'the record';
        if (issue.code === 'unrecognized_keys')
          return `${field === 'the record' ? '' : `${field}: `}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
        if (issue.code === 'invalid_type' && issue.input === undefined) return `${field} is required`;
        if (issue.code === 'invalid_type')
          return `${field} must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${displayValue(issue.input)}`;
        if (issue.code === 'invalid_value')
          return `${field} must be one of ${issue.values.join(', ')}, not ${displayValue(issue.input)}`;
        return `${field} ${issue.message}`;
      }),
    );
  }
  const observation = result.data as CustomerObservation;
  if (!ENTITIES_BY_SYSTEM[observation.sourceSystem].includes(observation.sourceEntity)) {
    throw new InvalidCustomerObservationError([
      `sourceEntity ${observation.sourceEntity} does not come from ${observation.sourceSystem} (expected ${ENTITIES_BY_SYSTEM[observation.sourceSystem].join(' or ')})`,
    ]);
  }
  return observation;
}
