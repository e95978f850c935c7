/** Value types of prospect fields, standard and custom. */
export type FieldValueType = 'string' | 'integer' | 'boolean' | 'datetime';

export interface StandardProspectField {
  /** v5 name (camelCase). */
  readonly name: string;
  /** v3/v4 name (snake_case). */
  readonly legacyName: string;
  readonly type: FieldValueType;
  /** Clients may set it (create, update, upsert). */
  readonly writable: boolean;
}

const f = (
  name: string,
  legacyName: string,
  type: FieldValueType = 'string',
  writable = true,
): StandardProspectField => ({
  name,
  legacyName,
  type,
  writable,
});

/** The standard prospect fields the sandbox keeps (v5 names, v4 names, type, writable). */
export const STANDARD_PROSPECT_FIELDS: readonly StandardProspectField[] = [
  f('id', 'id', 'integer', false),
  f('email', 'email'),
  f('salutation', 'salutation'),
  f('firstName', 'first_name'),
  f('lastName', 'last_name'),
  f('company', 'company'),
  f('jobTitle', 'job_title'),
  f('department', 'department'),
  f('website', 'website'),
  f('phone', 'phone'),
  f('fax', 'fax'),
  f('addressOne', 'address_one'),
  f('addressTwo', 'address_two'),
  f('city', 'city'),
  f('state', 'state'),
  f('territory', 'territory'),
  f('zip', 'zip'),
  f('country', 'country'),
  f('annualRevenue', 'annual_revenue'),
  f('employees', 'employees'),
  f('industry', 'industry'),
  f('yearsInBusiness', 'years_in_business'),
  f('source', 'source'),
  f('comments', 'comments'),
  f('notes', 'notes'),
  f('score', 'score', 'integer'),
  f('grade', 'grade', 'string', false),
  f('campaignId', 'campaign_id', 'integer'),
  f('optedOut', 'opted_out', 'boolean'),
  f('isDoNotEmail', 'is_do_not_email', 'boolean'),
  f('isDoNotCall', 'is_do_not_call', 'boolean'),
  f('salesforceId', 'salesforce_fid', 'string', false),
  f('salesforceLeadId', 'crm_lead_fid', 'string', false),
  f('salesforceContactId', 'crm_contact_fid', 'string', false),
  f('salesforceAccountId', 'crm_account_fid', 'string', false),
  f('lastActivityAt', 'last_activity_at', 'datetime', false),
  f('createdAt', 'created_at', 'datetime', false),
  f('updatedAt', 'updated_at', 'datetime', false),
  f('isDeleted', 'is_deleted', 'boolean', false),
];

export const STANDARD_FIELDS_BY_NAME: ReadonlyMap<string, StandardProspectField> = new Map(
  STANDARD_PROSPECT_FIELDS.map((x) => [x.name, x]),
);
export const STANDARD_FIELDS_BY_LEGACY_NAME: ReadonlyMap<string, StandardProspectField> = new Map(
  STANDARD_PROSPECT_FIELDS.map((x) => [x.legacyName, x]),
);

/** Pardot custom field types (v5 `type`). */
export const CUSTOM_FIELD_TYPES = [
  'Text',
  'Number',
  'Date',
  'Radio Button',
  'Checkbox',
  'Dropdown',
  'Textarea',
  'Hidden',
  'Multi-Select',
  'CRM User',
  'Email',
] as const;

export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Country names as Pardot shows them in the country field, for the world's ISO codes. */
export const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  US: 'United States',
  GB: 'United Kingdom',
  FR: 'France',
  DE: 'Germany',
  ES: 'Spain',
  IT: 'Italy',
  NL: 'Netherlands',
};
