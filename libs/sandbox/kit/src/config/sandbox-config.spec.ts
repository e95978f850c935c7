import { describe, expect, it } from 'vitest';
import { DEFAULT_WORLD_COUNTS } from '../generator/world-generator.util.js';
import { sandboxConfigSchema } from './sandbox-config.js';

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
