import { httpUrl, secret } from '@pardot-x3/config';
import { z } from 'zod';

/** Environment of every service that talks to Sage X3 through the Syracuse REST API (api1). */
export const x3ConfigSchema = z.object({
  X3_BASE_URL: httpUrl.describe(
    'Syracuse web server, e.g. https://x3.example.com:8124 (the /api1/x3/erp/<folder> part is added)',
  ),
  X3_FOLDER: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_]+$/, 'must be an X3 endpoint (folder) name such as SEED')
    .describe('X3 endpoint (folder), e.g. SEED'),
  X3_USERNAME: z.string().min(1).describe('Syracuse user for HTTP Basic authentication'),
  X3_PASSWORD: secret(z.string().min(1).describe('password of X3_USERNAME')),
  X3_WEBHOOK_SECRET: secret(
    z
      .string()
      .min(16, 'must be at least 16 characters')
      .optional()
      .describe('shared secret of the X3 change notifications (HMAC-SHA256)'),
  ),
  X3_WEBHOOK_TOLERANCE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(300)
    .describe(
      'how old (or how far in the future) a signed X3 notification may be before it is refused as a replay',
    ),
  X3_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(30_000)
    .describe('time allowed for one Sage X3 HTTP call'),
});

export type X3Config = z.infer<typeof x3ConfigSchema>;
