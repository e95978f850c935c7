import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { field } from './sobject-catalog.constants.js';
import type { FieldDef, FieldType } from './sobject-schema.types.js';
import { declareFields, findAnySObject, findField } from './sobject-schema.util.js';

/**
 * A custom field as an org admin declares it (Setup → Object Manager → Fields, or the Metadata API's
 * CustomField): type by its Setup / Metadata API name (`Text`, `Number`, `Checkbox`, …) or its describe
 * name (`string`, `double`, `boolean`, …), length for text, External ID and Unique.
 */
export const customFieldSpecSchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*__c$/,
        'must be an API name ending in __c (letters, digits, single underscores, starting with a letter)',
      )
      .max(43, 'must be at most 40 characters before __c'),
    type: z.string().min(1),
    label: z.string().min(1).max(40).optional(),
    length: z.number().int().min(1).optional(),
    precision: z.number().int().min(1).max(18).optional(),
    scale: z.number().int().min(0).max(17).optional(),
    externalId: z.boolean().default(false),
    unique: z.boolean().default(false),
    required: z.boolean().default(false),
    picklistValues: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type CustomFieldSpec = z.input<typeof customFieldSpecSchema>;

const TYPES: Readonly<Record<string, FieldType>> = {
  text: 'string',
  string: 'string',
  textarea: 'textarea',
  longtextarea: 'textarea',
  email: 'email',
  phone: 'phone',
  url: 'url',
  number: 'double',
  double: 'double',
  int: 'int',
  currency: 'currency',
  percent: 'percent',
  checkbox: 'boolean',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  picklist: 'picklist',
};
/** Salesforce allows External ID and Unique on text, number and email fields only. */
const KEY_TYPES = new Set<FieldType>(['string', 'email', 'double', 'int']);
const MAX_TEXT = 255;
const MAX_LONG_TEXT = 131_072;

/** Thrown for a declaration Salesforce would refuse; the admin API answers 400 with the message. */
export class CustomFieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CustomFieldError';
  }
}

/** The describe entry of a declared custom field, checked as Salesforce's Setup checks it. */
export function customFieldDef(objectName: string, input: unknown): FieldDef {
  const parsed = customFieldSpecSchema.safeParse(input);
  if (!parsed.success)
    throw new CustomFieldError(
      `${objectName}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'field'} ${i.message}`).join('; ')}`,
    );
  const spec = parsed.data;
  const where = `${objectName}.${spec.name}`;
  const type = TYPES[spec.type.toLowerCase()];
  if (!type)
    throw new CustomFieldError(
      `${where}: type ${spec.type} is not one of Text, TextArea, LongTextArea, Email, Phone, Url, Number, Currency, Percent, Checkbox, Date, DateTime, Picklist`,
    );
  if ((spec.externalId || spec.unique) && !KEY_TYPES.has(type))
    throw new CustomFieldError(`${where}: External ID and Unique are for Text, Number and Email fields only`);
  let length: number | undefined;
  if (type === 'string') {
    if (spec.length === undefined)
      throw new CustomFieldError(`${where}: a Text field needs a length (1 to 255)`);
    if (spec.length > MAX_TEXT)
      throw new CustomFieldError(`${where}: a Text field holds at most 255 characters`);
    length = spec.length;
  } else if (type === 'textarea') {
    length = Math.min(spec.length ?? MAX_TEXT, MAX_LONG_TEXT);
  } else if (spec.length !== undefined) {
    throw new CustomFieldError(`${where}: length is for Text and text area fields`);
  }
  if (type === 'picklist' && !spec.picklistValues?.length)
    throw new CustomFieldError(`${where}: a Picklist needs picklistValues`);
  const numeric = type === 'double' || type === 'int' || type === 'currency' || type === 'percent';
  const checkbox = type === 'boolean';
  return field(spec.name, type, {
    ...(spec.label !== undefined ? { label: spec.label } : {}),
    ...(length !== undefined ? { length } : {}),
    ...(numeric ? { precision: spec.precision ?? 18, scale: spec.scale ?? (type === 'int' ? 0 : 2) } : {}),
    externalId: spec.externalId,
    unique: spec.unique,
    nillable: checkbox ? false : !spec.required,
    defaultedOnCreate: checkbox,
    picklistValues: spec.picklistValues ?? [],
  });
}

/** Declares custom fields on objects, all or none (an unknown object or a taken name refuses the lot). */
export function declareCustomFields(byObject: Readonly<Record<string, readonly unknown[]>>): FieldDef[] {
  const planned: { object: string; defs: FieldDef[] }[] = [];
  for (const [objectName, specs] of Object.entries(byObject)) {
    const def = findAnySObject(objectName);
    if (!def || (def.api ?? 'data') !== 'data')
      throw new CustomFieldError(`there is no object ${objectName}`);
    const defs = specs.map((spec) => customFieldDef(def.name, spec));
    const names = new Set<string>();
    for (const f of defs) {
      if (findField(def, f.name) || names.has(f.name.toLowerCase()))
        throw new CustomFieldError(`${def.name}.${f.name}: the object already has a field with this name`);
      names.add(f.name.toLowerCase());
    }
    planned.push({ object: def.name, defs });
  }
  for (const { object, defs } of planned) declareFields(object, defs);
  return planned.flatMap(({ defs }) => defs);
}

/** Reads a `SF_CUSTOM_FIELDS` file (YAML or JSON: `{Account: [{name, type, length, externalId, unique}]}`). */
export function readCustomFieldFile(path: string): Record<string, unknown[]> {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CustomFieldError(
      `SF_CUSTOM_FIELDS ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = z.record(z.string(), z.array(z.unknown())).safeParse(raw ?? {});
  if (!parsed.success)
    throw new CustomFieldError(`SF_CUSTOM_FIELDS ${path}: must map object names to lists of fields`);
  return parsed.data;
}
