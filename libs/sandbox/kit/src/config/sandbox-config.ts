import { secret } from '@pardot-x3/config';
import { z } from 'zod';
import { resolveWorldCounts } from '../generator/world-generator.util.js';
import type { ResolvedWorldCounts, WorldCounts } from '../generator/world.types.js';

/** The admin token a sandbox starts with when none is given: public, so fit for loopback only. */
export const DEFAULT_SANDBOX_ADMIN_TOKEN = 'sandbox-admin-token';

/**
 * The environment every sandbox reads (besides PORT/HOST/LOG_LEVEL): the admin token, the access-token
 * secret shared by the Salesforce and Pardot sandboxes, and the world loaded at start. The defaults
 * work for a local run and are the same in all three sandboxes, so they share one world and accept
 * each other's tokens out of the box.
 */
export const sandboxConfigSchema = z.object({
  SANDBOX_ADMIN_TOKEN: secret(
    z
      .string()
      .min(8)
      .default(DEFAULT_SANDBOX_ADMIN_TOKEN)
      .describe(
        'X-Admin-Token value for /__admin; the default is public, so a sandbox refuses it off loopback (HOST)',
      ),
  ),
  SANDBOX_TOKEN_SECRET: secret(
    z
      .string()
      .min(16)
      .default('pardot-x3-sandbox-token-secret')
      .describe('HMAC secret of the sandbox access tokens, shared by the Salesforce and Pardot sandboxes'),
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

/** 127.0.0.0/8, ::1 and localhost: interfaces no other machine reaches. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * A sandbox's whole state (reseed, faults, the ledger of every write) is behind its admin token: with
 * the public default it must not listen where other machines reach it. Add to a sandbox's config schema
 * with `.superRefine(refuseDefaultAdminTokenOffLoopback)`; the service then refuses to start (exit 78)
 * with a message naming SANDBOX_ADMIN_TOKEN and HOST.
 */
export function refuseDefaultAdminTokenOffLoopback(
  config: { readonly HOST: string; readonly SANDBOX_ADMIN_TOKEN: string },
  ctx: z.RefinementCtx,
): void {
  if (config.SANDBOX_ADMIN_TOKEN === DEFAULT_SANDBOX_ADMIN_TOKEN && !isLoopbackHost(config.HOST))
    ctx.addIssue({
      code: 'custom',
      path: ['SANDBOX_ADMIN_TOKEN'],
      message: `is the public default (the value every copy of pardot-x3 has) while HOST=${config.HOST} is not a loopback interface: anyone reaching it could reseed the sandbox and read its write ledger. Set SANDBOX_ADMIN_TOKEN (or SANDBOX_ADMIN_TOKEN_FILE) to a value of your own, or bind HOST=127.0.0.1`,
    });
}

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
