import { describe, expect, it } from 'vitest';
import { DEFAULT_WORLD_COUNTS } from '../generator/world-generator.util.js';
import { z } from 'zod';
import {
  DEFAULT_SANDBOX_ADMIN_TOKEN,
  isLoopbackHost,
  refuseDefaultAdminTokenOffLoopback,
  sandboxConfigSchema,
} from './sandbox-config.js';

describe('sandboxConfigSchema', () => {
  it('has working defaults shared by every sandbox', () => {
    const config = sandboxConfigSchema.parse({});
    expect(config).toMatchObject({
      SANDBOX_ADMIN_TOKEN: 'sandbox-admin-token',
      SANDBOX_SEED: 1,
      SANDBOX_SEED_COUNTS: DEFAULT_WORLD_COUNTS,
    });
  });

  it('reads world counts from JSON and explains bad ones', () => {
    expect(
      sandboxConfigSchema.parse({ SANDBOX_SEED_COUNTS: '{"companies":3}' }).SANDBOX_SEED_COUNTS.companies,
    ).toBe(3);
    const bad = sandboxConfigSchema.safeParse({ SANDBOX_SEED_COUNTS: '{"companies":-1}' });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toMatch(/counts\.companies must be a whole number/);
    expect(sandboxConfigSchema.safeParse({ SANDBOX_SEED_COUNTS: 'x' }).success).toBe(false);
  });
});

describe('refuseDefaultAdminTokenOffLoopback', () => {
  const schema = z
    .object({ HOST: z.string().default('127.0.0.1') })
    .extend(sandboxConfigSchema.shape)
    .superRefine(refuseDefaultAdminTokenOffLoopback);

  it('lets the public default admin token listen on loopback only', () => {
    expect(schema.parse({}).SANDBOX_ADMIN_TOKEN).toBe(DEFAULT_SANDBOX_ADMIN_TOKEN);
    for (const HOST of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.0.2'])
      expect(schema.safeParse({ HOST }).success, HOST).toBe(true);
  });

  it('refuses it on any other interface, naming the setting, and accepts a token of ones own there', () => {
    for (const HOST of ['0.0.0.0', '::', '10.0.0.5', 'sandbox.example.com']) {
      const result = schema.safeParse({ HOST });
      expect(result.success, HOST).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['SANDBOX_ADMIN_TOKEN']);
      // The setting is named, its value never printed (the log scan would find it).
      expect(result.error?.issues[0]?.message).not.toContain(DEFAULT_SANDBOX_ADMIN_TOKEN);
      expect(result.error?.issues[0]?.message).toMatch(
        new RegExp(
          `public default .* HOST=${HOST.replace(/\./g, '\\.')} is not a loopback interface.*SANDBOX_ADMIN_TOKEN`,
        ),
      );
    }
    expect(schema.safeParse({ HOST: '0.0.0.0', SANDBOX_ADMIN_TOKEN: 'my-own-admin-token' }).success).toBe(
      true,
    );
  });

  it('knows loopback addresses', () => {
    expect(isLoopbackHost('127.10.0.1')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
  });
});
