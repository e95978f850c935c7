import { z } from 'zod';
import { HARMONISER_KINDS } from '../harmonisation/harmoniser.registry.js';

/** The YAML form of a mapping template, before semantic checks (see docs/mapping.md). */
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const scalarOrNull = z.union([scalar, z.null()]);

export interface RawCondition {
  all?: RawCondition[];
  any?: RawCondition[];
  not?: RawCondition;
  field?: string;
  equals?: string | number | boolean;
  notEquals?: string | number | boolean;
  in?: (string | number | boolean)[];
  notIn?: (string | number | boolean)[];
  present?: boolean;
  matches?: string;
  greaterThan?: number;
  lessThan?: number;
  ignoreCase?: boolean;
}

export const rawConditionSchema: z.ZodType<RawCondition> = z.lazy(() =>
  z.strictObject({
    all: z.array(rawConditionSchema).min(1).optional(),
    any: z.array(rawConditionSchema).min(1).optional(),
    not: rawConditionSchema.optional(),
    field: z.string().min(1).optional(),
    equals: scalar.optional(),
    notEquals: scalar.optional(),
    in: z.array(scalar).min(1).optional(),
    notIn: z.array(scalar).min(1).optional(),
    present: z.boolean().optional(),
    matches: z.string().optional(),
    greaterThan: z.number().optional(),
    lessThan: z.number().optional(),
    ignoreCase: z.boolean().optional(),
  }),
);

export interface RawFieldRule {
  from?: string | string[];
  const?: string | number | boolean | null;
  join?: string[];
  separator?: string;
  list?: string[];
  each?: string;
  fields?: Record<string, RawFieldRule>;
  as?: (typeof HARMONISER_KINDS)[number];
  maxLength?: number;
  case?: 'upper' | 'lower' | 'title';
  defaultCountry?: string | { from: string | string[] };
  format?: string;
  timeZone?: string;
  decimalSeparator?: '.' | ',';
  aliases?: Record<string, string>;
  line?: number;
  of?: number;
  translate?: string;
  default?: string | number | boolean;
  required?: boolean;
  emptyValues?: (string | number)[];
  when?: RawCondition;
  onInvalid?: 'reject' | 'warn';
  description?: string;
}

/** A rule written as plain text is shorthand for `{ from: <text> }`. */
export const rawFieldRuleSchema: z.ZodType<RawFieldRule> = z.lazy(() =>
  z.preprocess(
    (value) => (typeof value === 'string' ? { from: value } : value),
    z.strictObject({
      from: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
      const: scalarOrNull.optional(),
      join: z.array(z.string().min(1)).min(2).optional(),
      separator: z.string().optional(),
      list: z.array(z.string().min(1)).min(1).optional(),
      each: z.string().min(1).optional(),
      fields: z.record(z.string(), rawFieldRuleSchema).optional(),
      as: z.enum(HARMONISER_KINDS).optional(),
      maxLength: z.number().int().min(1).optional(),
      case: z.enum(['upper', 'lower', 'title']).optional(),
      defaultCountry: z
        .union([
          z.string(),
          z.strictObject({ from: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]) }),
        ])
        .optional(),
      format: z.string().optional(),
      timeZone: z.string().optional(),
      decimalSeparator: z.enum(['.', ',']).optional(),
      aliases: z.record(z.string(), z.string()).optional(),
      line: z.number().int().min(1).optional(),
      of: z.number().int().min(1).optional(),
      translate: z.string().optional(),
      default: scalar.optional(),
      required: z.boolean().optional(),
      emptyValues: z.array(z.union([z.string(), z.number()])).optional(),
      when: rawConditionSchema.optional(),
      onInvalid: z.enum(['reject', 'warn']).optional(),
      description: z.string().optional(),
    }),
  ),
);

const rawTranslationTableSchema = z.strictObject({
  description: z.string().optional(),
  ignoreCase: z.boolean().optional(),
  entries: z.record(
    z.string(),
    z.union([scalarOrNull, z.strictObject({ value: scalarOrNull, label: z.string().optional() })]),
  ),
  otherwise: z.union([z.enum(['reject', 'keep']), z.strictObject({ value: scalarOrNull })]).optional(),
});

export const rawMappingTemplateSchema = z.strictObject({
  template: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case name such as x3-customer-to-canonical'),
  version: z.number().int().min(1),
  description: z.string().optional(),
  source: z.strictObject({
    system: z.string().min(1),
    entity: z.string().min(1),
    id: z.string().min(1).optional(),
  }),
  target: z.strictObject({ system: z.string().min(1), entity: z.string().min(1) }),
  when: rawConditionSchema.optional(),
  translations: z.record(z.string(), rawTranslationTableSchema).optional(),
  fields: z.record(z.string(), rawFieldRuleSchema),
  passThrough: z
    .array(
      z.strictObject({
        from: z.string().min(1).optional(),
        match: z.string().min(1),
        into: z.string().min(1).optional(),
        except: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

export type RawMappingTemplate = z.infer<typeof rawMappingTemplateSchema>;
