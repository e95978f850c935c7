import { ConfigValidationError, httpUrl, secret } from '@pardot-x3/config';
import { z } from 'zod';

/**
 * Environment of every service that talks to Salesforce (compose it into the service's schema with
 * `.extend(salesforceConfigSchema.shape)`). Authentication is the JWT bearer flow when
 * SALESFORCE_PRIVATE_KEY is set, client credentials when SALESFORCE_CLIENT_SECRET is set.
 */
export const salesforceConfigSchema = z.object({
  SALESFORCE_LOGIN_URL: httpUrl
    .default('https://login.salesforce.com')
    .describe(
      'OAuth host: https://login.salesforce.com, https://test.salesforce.com or the My Domain URL (client credentials need My Domain)',
    ),
  SALESFORCE_INSTANCE_URL: httpUrl
    .optional()
    .describe('REST host of the org; default: the instance_url the token endpoint returns'),
  SALESFORCE_API_VERSION: z
    .string()
    .regex(/^\d{2,3}\.0$/, 'must look like 62.0')
    .default('62.0')
    .describe('REST API version (46.0 or newer)'),
  SALESFORCE_CLIENT_ID: z.string().min(1).describe('consumer key of the connected app'),
  SALESFORCE_USERNAME: z.string().min(1).optional().describe('integration user (JWT bearer flow `sub`)'),
  SALESFORCE_PRIVATE_KEY: secret(
    z
      .string()
      .min(1)
      .optional()
      .describe('PEM private key of the connected app certificate, for the JWT bearer flow'),
  ),
  SALESFORCE_CLIENT_SECRET: secret(
    z.string().min(1).optional().describe('consumer secret, for the client credentials flow'),
  ),
  SALESFORCE_CALL_CLIENT_ID: z
    .string()
    .min(1)
    .default('pardot-x3')
    .describe(
      'client name sent in Sforce-Call-Options; CDC changeOrigin carries it, so our own writes are recognised and not synced back',
    ),
  SALESFORCE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(30_000)
    .describe('time allowed for one Salesforce HTTP call'),
});

export type SalesforceConfig = z.infer<typeof salesforceConfigSchema>;

/** How the connector proves who it is. */
export type SalesforceCredentials =
  | {
      readonly flow: 'jwt-bearer';
      readonly clientId: string;
      readonly username: string;
      readonly privateKeyPem: string;
    }
  | { readonly flow: 'client-credentials'; readonly clientId: string; readonly clientSecret: string };

/** Picks the OAuth flow from the configuration; says plainly what is missing. */
export function salesforceCredentialsFromConfig(
  config: SalesforceConfig,
  service = 'salesforce connector',
): SalesforceCredentials {
  if (config.SALESFORCE_PRIVATE_KEY) {
    if (!config.SALESFORCE_USERNAME) {
      throw new ConfigValidationError(service, [
        'SALESFORCE_USERNAME is required with SALESFORCE_PRIVATE_KEY (the JWT bearer flow signs in as that user)',
      ]);
    }
    return {
      flow: 'jwt-bearer',
      clientId: config.SALESFORCE_CLIENT_ID,
      username: config.SALESFORCE_USERNAME,
      // Kubernetes secrets and .env files often carry the PEM with literal "\n".
      privateKeyPem: config.SALESFORCE_PRIVATE_KEY.replace(/\\n/g, '\n'),
    };
  }
  if (config.SALESFORCE_CLIENT_SECRET) {
    return {
      flow: 'client-credentials',
      clientId: config.SALESFORCE_CLIENT_ID,
      clientSecret: config.SALESFORCE_CLIENT_SECRET,
    };
  }
  throw new ConfigValidationError(service, [
    'SALESFORCE_PRIVATE_KEY (JWT bearer flow) or SALESFORCE_CLIENT_SECRET (client credentials flow) must be set',
  ]);
}
