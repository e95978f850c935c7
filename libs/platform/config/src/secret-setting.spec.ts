import { chmodSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { databaseConfigSchema, httpServerConfigSchema, kafkaConfigSchema } from './common-config.js';
import { ConfigValidationError, describeConfig, loadConfig } from './config-loader.js';
import { isSecretSetting, secret, secretSettingNames, secretValues } from './secret-setting.js';

const dir = mkdtempSync(join(tmpdir(), 'px3-secret-files-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const schema = z.object({
  API_TOKEN: secret(z.string().min(16, 'must be at least 16 characters').describe('API token')),
  WEBHOOK_SECRET: secret(z.string().min(16).optional().describe('HMAC key')),
  LOG_LEVEL: z.string().default('info').describe('log level'),
});

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig('svc', schema, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe('secret()', () => {
  it('is a flag on the setting, whatever its description says, and survives wrapping', () => {
    expect(isSecretSetting(schema.shape.API_TOKEN)).toBe(true);
    expect(isSecretSetting(schema.shape.LOG_LEVEL)).toBe(false);
    expect(isSecretSetting(z.string().describe('shared secret (HMAC-SHA256; secret)'))).toBe(false);
    expect(isSecretSetting(secret(z.string()).optional().default('x'))).toBe(true);
    expect(schema.shape.WEBHOOK_SECRET.description).toBe('HMAC key');
  });

  it('marks the shared fragments: database URL, Kafka SASL and registry passwords', () => {
    const all = httpServerConfigSchema.extend(kafkaConfigSchema.shape).extend(databaseConfigSchema.shape);
    expect(secretSettingNames(all).sort()).toEqual(['DATABASE_URL', 'KAFKA_SASL_PASSWORD']);
    expect(
      describeConfig(all)
        .filter((v) => v.secret)
        .map((v) => v.name),
    ).toEqual(['KAFKA_SASL_PASSWORD', 'DATABASE_URL']);
  });
});

describe('<NAME>_FILE', () => {
  it('reads a secret from a file, trimmed', () => {
    const config = loadConfig('svc', schema, {
      API_TOKEN_FILE: file('token', '  0123456789abcdef-from-file\n'),
    });
    expect(config.API_TOKEN).toBe('0123456789abcdef-from-file');
  });

  it('validates what the file holds like a value from the environment', () => {
    expect(problemsOf({ API_TOKEN_FILE: file('short', 'short\n') })).toEqual([
      'API_TOKEN must be at least 16 characters (API token)',
    ]);
  });

  it('refuses a missing, empty, unreadable or directory file, naming the variable and the path', () => {
    const missing = join(dir, 'nope');
    expect(problemsOf({ API_TOKEN_FILE: missing })).toEqual([
      `API_TOKEN_FILE names ${missing}, which does not exist (API token)`,
    ]);
    const empty = file('empty', ' \n');
    expect(problemsOf({ API_TOKEN_FILE: empty })).toEqual([
      `API_TOKEN_FILE names ${empty}, which is empty (API token)`,
    ]);
    const folder = join(dir, 'folder');
    mkdirSync(folder, { recursive: true });
    expect(problemsOf({ API_TOKEN_FILE: folder })).toEqual([
      `API_TOKEN_FILE names ${folder}, which is not a regular file (API token)`,
    ]);
    if (process.getuid?.() !== 0) {
      const locked = file('locked', '0123456789abcdef-locked');
      chmodSync(locked, 0o000);
      expect(problemsOf({ API_TOKEN_FILE: locked })[0]).toMatch(
        /^API_TOKEN_FILE names .*locked, which this process may not read/,
      );
    }
  });

  it('refuses a secret given both ways, and never echoes the value', () => {
    const problems = problemsOf({
      API_TOKEN: 'a-value-that-must-not-be-echoed',
      API_TOKEN_FILE: file('both', '0123456789abcdef-both'),
    });
    expect(problems).toEqual(['API_TOKEN and API_TOKEN_FILE are both set: set only one of them (API token)']);
    expect(problems.join('\n')).not.toMatch(/must-not-be-echoed|abcdef-both/);
  });

  it('names the file variable when a required secret is missing', () => {
    expect(problemsOf({})).toEqual(['API_TOKEN is required but not set (API token); or give API_TOKEN_FILE']);
  });

  it('is read only for secret settings', () => {
    const config = loadConfig('svc', schema, {
      API_TOKEN: '0123456789abcdef',
      LOG_LEVEL_FILE: file('level', 'debug'),
    });
    expect(config.LOG_LEVEL).toBe('info');
  });
});

describe('secretValues', () => {
  it("lists each secret's value, a URL's password and a map's values, longest first", () => {
    const s = z.object({
      DATABASE_URL: databaseConfigSchema.shape.DATABASE_URL,
      USERS: secret(
        z.string().transform((t) => new Map(t.split(',').map((e) => e.split(':') as [string, string]))),
      ),
      SHORT: secret(z.string()),
      PLAIN: z.string(),
    });
    const config = s.parse({
      DATABASE_URL: 'postgres://u:p%40ssw0rd@h:5432/db',
      USERS: 'a:alpha-password,b:beta-password',
      SHORT: 'abc',
      PLAIN: 'not-a-secret-value',
    });
    expect(secretValues(s, config)).toEqual([
      'postgres://u:p%40ssw0rd@h:5432/db',
      'alpha-password',
      'beta-password',
      'p%40ssw0rd',
      'p@ssw0rd',
    ]);
  });
});
