import { booleanFlag, httpServerConfigSchemaWithPort } from '@pardot-x3/config';
import { refuseDefaultAdminTokenOffLoopback, sandboxConfigSchema } from '@pardot-x3/sandbox-kit';
import { z } from 'zod';
import { CUSTOM_FIELD_TYPES, type CustomFieldType } from './store/prospect-fields.constants.js';

function parseCustomFields(text: string, ctx: z.RefinementCtx): { fieldId: string; type: CustomFieldType }[] {
  const out: { fieldId: string; type: CustomFieldType }[] = [];
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [fieldId = '', type = 'Text'] = entry.split(':').map((s) => s.trim());
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(fieldId)) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" needs a field id of letters, digits and _` });
    } else if (!(CUSTOM_FIELD_TYPES as readonly string[]).includes(type)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${entry}" has an unknown type; use one of ${CUSTOM_FIELD_TYPES.join(', ')}`,
      });
    } else {
      out.push({ fieldId, type: type as CustomFieldType });
    }
  }
  return out;
}

function parseActivityTypes(text: string, ctx: z.RefinementCtx): { extension: string; type: string }[] {
  const out: { extension: string; type: string }[] = [];
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [extension = '', type = ''] = entry.split(':').map((s) => s.trim());
    if (!extension || !type) ctx.addIssue({ code: 'custom', message: `"${entry}" must be "extension:type"` });
    else out.push({ extension, type });
  }
  return out;
}

/** Environment of the Pardot sandbox; every variable has a working default for a local run. */
export const sandboxPardotConfigSchema = httpServerConfigSchemaWithPort(4200)
  .extend(sandboxConfigSchema.shape)
  .extend({
    PARDOT_BUSINESS_UNIT_ID: z
      .string()
      .regex(/^0Uv[A-Za-z0-9]{15}$/, 'must be an 18-character business unit id starting 0Uv')
      .default('0Uv5g000000PX3AAAA')
      .describe('the business unit requests must name in Pardot-Business-Unit-Id'),
    PARDOT_SALESFORCE_ORG_ID: z
      .string()
      .regex(/^00D[A-Za-z0-9]{15}$/, 'must be an 18-character org id starting 00D')
      .default('00D5g000004SbxAEAS')
      .describe('the Salesforce org the business unit belongs to; access tokens must come from it'),
    PARDOT_DAILY_LIMIT: z.coerce
      .number()
      .int()
      .min(1)
      .default(25_000)
      .describe('API calls per business unit per UTC day (error 122 beyond)'),
    PARDOT_CONCURRENT_LIMIT: z.coerce
      .number()
      .int()
      .min(1)
      .default(5)
      .describe('requests in flight per business unit (error 66 beyond)'),
    PARDOT_LIMIT_HTTP_STATUS: z.coerce
      .number()
      .int()
      .min(400)
      .max(599)
      .default(429)
      .describe(
        'HTTP status sent with limit errors 66 and 122 (not documented by Pardot; the body code is what counts)',
      ),
    PARDOT_AMPSEA: booleanFlag
      .default(true)
      .describe(
        'Allow Multiple Prospects with Same Email Address: v5 creates duplicates, v4 is the API version (v3 without it)',
      ),
    PARDOT_CUSTOM_FIELDS: z
      .string()
      .default('ERP_Customer_Code__c:Text,Last_Engagement_Score__c:Number')
      .transform(parseCustomFields)
      .describe('custom prospect fields that exist at start, "fieldId:Type" comma-separated'),
    PARDOT_EXTERNAL_ACTIVITY_TYPES: z
      .string()
      .default('')
      .transform(parseActivityTypes)
      .describe('external activity types registered and active at start, "extension:type" comma-separated'),
  })
  .superRefine(refuseDefaultAdminTokenOffLoopback);

export type SandboxPardotConfig = z.output<typeof sandboxPardotConfigSchema>;

export const SANDBOX_PARDOT_CONFIG = Symbol('SANDBOX_PARDOT_CONFIG');
