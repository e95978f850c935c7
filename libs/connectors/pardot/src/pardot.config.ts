import { httpUrl } from '@pardot-x3/config';
import { z } from 'zod';

/**
 * Environment of every service that calls Pardot (Account Engagement). The OAuth token comes from the
 * Salesforce connector (`salesforceConfigSchema`): the connected app needs the `pardot_api` scope.
 */
export const pardotConfigSchema = z.object({
  PARDOT_BASE_URL: httpUrl
    .default('https://pi.pardot.com')
    .describe(
      'Pardot API host: https://pi.pardot.com (production, training) or https://pi.demo.pardot.com (developer orgs, sandboxes)',
    ),
  PARDOT_BUSINESS_UNIT_ID: z
    .string()
    .trim()
    .regex(
      /^0Uv[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/,
      'must be the business unit id, 18 characters starting with 0Uv',
    )
    .describe('Account Engagement business unit id (Pardot-Business-Unit-Id header)'),
  PARDOT_DAILY_BUDGET: z.coerce
    .number()
    .int()
    .min(1)
    .default(25_000)
    .describe(
      'API calls per day this business unit may spend, shared by every flow and process (edition limit: 25k Growth, 50k Plus, 100k Advanced/Premium)',
    ),
  PARDOT_MAX_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(5, 'must be at most 5 (Pardot allows 5 concurrent requests per business unit)')
    .default(5)
    .describe('concurrent Pardot requests for this business unit across every process'),
  PARDOT_BUDGET_TIME_ZONE: z
    .string()
    .default('UTC')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Paris')
    .describe('time zone of the Pardot account: the daily budget resets at its midnight'),
  PARDOT_LIMIT_PROBE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(900_000)
    .describe(
      'after Pardot reports its daily limit met (error 122), how often one waiting call tries again before midnight',
    ),
  PARDOT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(30_000)
    .describe('time allowed for one Pardot HTTP call'),
  PARDOT_READ_LAG_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(60_000)
    .describe(
      'how far Account Engagement reads may lag its writes (v5 serves reads from a cache up to 60 s behind): an external activity whose submission was interrupted is looked for only this long after it',
    ),
  PARDOT_EXTERNAL_ACTIVITY_EXTENSION: z
    .string()
    .min(1)
    .optional()
    .describe('DeveloperName of the Marketing App Extension that owns our external activity types'),
  PARDOT_EXTERNAL_ACTIVITY_TYPES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .describe(
      'comma-separated DeveloperNames of the external activity types we send (e.g. X3_Order_Shipped)',
    ),
});

export type PardotConfig = z.infer<typeof pardotConfigSchema>;
