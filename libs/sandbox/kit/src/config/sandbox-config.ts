import { z } from 'zod';
import { resolveWorldCounts } from '../generator/world-generator.util.js';
import type { ResolvedWorldCounts, WorldCounts } from '../generator/world.types.js';

/**
 * The environment every sandbox reads (besides PORT/HOST/LOG_LEVEL): the admin token, the access-token
 * secret shared by the Salesforce and Pardot sandboxes, and the world loaded at start. The defaults
 * work for a local run and are the same in all three sandboxes, so they share one world and accept
 * each other's tokens out of the box.
 */
export const sandboxConfigSchema = z.object({
  SANDBOX_ADMIN_TOKEN: z
    .string()
    .min(8)
    .default('sandbox-admin-token')
    .describe('X-Admin-Token value for /__admin (secret)'),
  SANDBOX_TOKEN_SECRET: z
    .string()
    .min(16)
    .default('pardot-x3-sandbox-token-secret')
    .describe(
      'HMAC secret of the sandbox access tokens, shared by the Salesforce and Pardot sandboxes (secret)',
    ),
  SANDBOX_SEED: z.coerce
    .number()
    .int()
    .min(0)
    .max(4_294_967_295)
    .default(1)
    .describe('seed of the generated world loaded at start'),
  SANDBOX_SEED_COUNTS: z
    .string()
    .default('')
    .transform((text, ctx): ResolvedWorldCounts => {
      try {
        return parseWorldCounts(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .describe('world counts as JSON, e.g. {"companies":50,"contacts":100}; empty = the kit defaults'),
});

export type SandboxConfig = z.output<typeof sandboxConfigSchema>;

/** Parses SANDBOX_SEED_COUNTS: empty means the defaults; otherwise a JSON object of counts. */
export function parseWorldCounts(text: string): ResolvedWorldCounts {
  if (text.trim() === '') return resolveWorldCounts({});
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RangeError('must be a JSON object such as {"companies":50,"contacts":100}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RangeError('must be a JSON object such as {"companies":50,"contacts":100}');
  }
  return resolveWorldCounts(parsed as WorldCounts);
}
