import { httpServerConfigSchemaWithPort, secret } from '@pardot-x3/config';
import { refuseDefaultAdminTokenOffLoopback, sandboxConfigSchema } from '@pardot-x3/sandbox-kit';
import { z } from 'zod';

function list(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseUsers(text: string, ctx: z.RefinementCtx): Map<string, string> {
  const users = new Map<string, string>();
  for (const entry of list(text)) {
    const colon = entry.indexOf(':');
    if (colon <= 0 || colon === entry.length - 1)
      ctx.addIssue({ code: 'custom', message: 'each user must be "name:password"' });
    else users.set(entry.slice(0, colon), entry.slice(colon + 1));
  }
  if (users.size === 0) ctx.addIssue({ code: 'custom', message: 'at least one "name:password" is needed' });
  return users;
}

/** Environment of the Sage X3 sandbox; every variable has a working default for a local run. */
export const sandboxX3ConfigSchema = httpServerConfigSchemaWithPort(4300)
  .extend(sandboxConfigSchema.shape)
  .extend({
    X3_FOLDERS: z
      .string()
      .default('SEED')
      .transform(list)
      .refine(
        (folders) => folders.length > 0 && folders.every((x) => /^[A-Z0-9_]{1,30}$/.test(x)),
        'must be folder names in capitals, e.g. SEED,PROD',
      )
      .describe(
        'X3 folders (Syracuse endpoints) served under /api1/x3/erp/<FOLDER>, comma-separated; each holds the same seeded data',
      ),
    X3_USERS: secret(
      z
        .string()
        .default('px3:px3-sandbox')
        .transform(parseUsers)
        .describe('Basic-auth users, "name:password" comma-separated'),
    ),
    X3_BUSINESS_ERROR_STATUS: z.coerce
      .number()
      .int()
      .refine((s) => s === 200 || (s >= 400 && s <= 499), 'must be 200 or a 4xx status')
      .default(200)
      .describe('HTTP status of answers carrying business errors in $diagnoses (apis.md: inside a 200)'),
    X3_WEBHOOK_URL: z
      .string()
      .url()
      .optional()
      .describe('a webhook target configured at start (more through /__admin/x3/webhooks)'),
    X3_WEBHOOK_SECRET: secret(
      z
        .string()
        .min(16)
        .default('pardot-x3-sandbox-webhook-secret')
        .describe('HMAC secret of the target configured at start'),
    ),
    X3_WEBHOOK_MAX_ATTEMPTS: z.coerce
      .number()
      .int()
      .min(1)
      .max(20)
      .default(6)
      .describe('delivery attempts per notification before it is marked failed'),
    X3_WEBHOOK_RETRY_BASE_MS: z.coerce
      .number()
      .int()
      .min(1)
      .default(1_000)
      .describe('first retry delay; doubles on each further attempt'),
    X3_WEBHOOK_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(100)
      .default(5_000)
      .describe('how long one delivery attempt may take'),
  })
  .superRefine(refuseDefaultAdminTokenOffLoopback);

export type SandboxX3Config = z.output<typeof sandboxX3ConfigSchema>;

export const SANDBOX_X3_CONFIG = Symbol('SANDBOX_X3_CONFIG');
