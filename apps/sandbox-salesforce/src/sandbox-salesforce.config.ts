import { z } from 'zod';
import { httpServerConfigSchemaWithPort, secret } from '@pardot-x3/config';
import { refuseDefaultAdminTokenOffLoopback, sandboxConfigSchema } from '@pardot-x3/sandbox-kit';

const positiveInt = (description: string, fallback: number) =>
  z.coerce.number().int().min(1).default(fallback).describe(description);

/** Environment of the Salesforce sandbox; every variable has a working default for local use. */
/**
 * Environment of the Salesforce sandbox: the HTTP server (default port 4100), the settings every
 * sandbox shares (admin token, token secret, seed) and Salesforce's own. Every variable has a working
 * default for local use.
 */
export const sandboxSalesforceConfigSchema = httpServerConfigSchemaWithPort(4100)
  .extend(sandboxConfigSchema.shape)
  .extend({
    SANDBOX_PUBLIC_URL: z
      .string()
      .url()
      .optional()
      .describe(
        'base URL clients reach this sandbox at; returned as instance_url (default http://127.0.0.1:$PORT)',
      ),
    SF_ORG_ID: z
      .string()
      .regex(/^00D[A-Za-z0-9]{15}$/, 'must be an 18-character org id starting 00D')
      .default('00D5g000004SbxAEAS')
      .describe('organisation id in tokens, identity URLs and CDC'),
    SF_USERNAME: z
      .string()
      .email()
      .default('integration@pardot-x3.sandbox')
      .describe('the API user (JWT `sub`, client-credentials run-as user)'),
    SF_CONSUMER_KEY: z
      .string()
      .min(1)
      .default('PX3SandboxConsumerKey')
      .describe('connected-app consumer key (client_id, JWT `iss`)'),
    SF_CONSUMER_SECRET: secret(
      z
        .string()
        .min(1)
        .default('px3-sandbox-consumer-secret')
        .describe('connected-app consumer secret (client credentials)'),
    ),
    SF_JWT_CERTIFICATE: z
      .string()
      .optional()
      .describe(
        'PEM X.509 certificate or public key (or a path to one) that verifies JWT bearer assertions; unset = JWT flow refused',
      ),
    SF_LOGIN_AUDIENCES: z
      .string()
      .default('https://login.salesforce.com,https://test.salesforce.com')
      .describe('accepted JWT `aud` values, comma-separated (the sandbox URL is always accepted)'),
    SF_TOKEN_TTL_SECONDS: positiveInt('lifetime of issued access tokens', 7200),
    SF_DAILY_API_LIMIT: positiveInt('API requests allowed per rolling 24 h (DailyApiRequests)', 100_000),
    SF_CDC_RETENTION_HOURS: z.coerce
      .number()
      .positive()
      .default(72)
      .describe('how long change events stay replayable'),
    SF_COMETD_TIMEOUT_MS: positiveInt(
      'how long a /meta/connect long poll is held open (advice.timeout)',
      110_000,
    ),
    SF_MARKETING_APP_EXTENSIONS: z
      .string()
      .default('')
      .transform((text, ctx) => parseActivityTypes(text, ctx))
      .describe(
        'Account Engagement external activity types registered and active at start (Tooling API MarketingAppExtension / MarketingAppExtActivity), "extension:type" comma-separated',
      ),
    SF_CUSTOM_FIELDS: z
      .string()
      .optional()
      .describe(
        "path of a YAML or JSON file of the org's own custom fields, declared at start: {Account: [{name: Ext_Id__c, type: Text, length: 20, externalId: true, unique: true}]}",
      ),
    SF_UPSERT_UPDATE_STATUS: z
      .enum(['200', '204'])
      .default('200')
      .describe('answer to an upsert that updates: 200 with created:false (API v46+) or 204 (older docs)'),
  })
  .superRefine(refuseDefaultAdminTokenOffLoopback);

export type SandboxSalesforceConfig = z.output<typeof sandboxSalesforceConfigSchema>;

export const SANDBOX_SALESFORCE_CONFIG = Symbol('SANDBOX_SALESFORCE_CONFIG');

function parseActivityTypes(text: string, ctx: z.RefinementCtx): { extension: string; type: string }[] {
  const out: { extension: string; type: string }[] = [];
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [extension = '', type = ''] = entry.split(':').map((part) => part.trim());
    if (!extension || !type) ctx.addIssue({ code: 'custom', message: `"${entry}" must be "extension:type"` });
    else out.push({ extension, type });
  }
  return out;
}
