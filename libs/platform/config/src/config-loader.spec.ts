import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigValidationError, describeConfig, loadConfig } from './config-loader.js';
import { databaseConfigSchema, kafkaConfigSchema } from './common-config.js';

describe('loadConfig', () => {
  const schema = kafkaConfigSchema.extend(databaseConfigSchema.shape);

  it('returns typed values with defaults applied', () => {
    const config = loadConfig('mdm', schema, {
      KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:9094',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
    });
    expect(config.KAFKA_BROKERS).toBe('127.0.0.1:9092,127.0.0.1:9094');
    expect(config.DATABASE_POOL_SIZE).toBe(10);
    expect(config.KAFKA_SSL).toBe(false);
  });

  it('lists every problem at once, naming the variable and what it is for', () => {
    let error: unknown;
    try {
      loadConfig('mdm', schema, { KAFKA_BROKERS: 'not a broker list', DATABASE_POOL_SIZE: '1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/KAFKA_BROKERS must be a comma-separated host:port list/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL is required but not set \(PostgreSQL connection URL/);
    expect(problems.join('\n')).toMatch(/DATABASE_POOL_SIZE/);
    expect((error as Error).message).toMatch(/^mdm: the configuration is not valid \(3 problems\)/);
  });

  it('never echoes a secret value in its messages', () => {
    const secret = 'hunter2-very-secret';
    expect(() =>
      loadConfig('x', z.object({ DATABASE_URL: databaseConfigSchema.shape.DATABASE_URL }), {
        DATABASE_URL: `mysql://u:${secret}@h/db`,
      }),
    ).toThrow(/DATABASE_URL must be a postgres:\/\/ connection URL/);
    try {
      loadConfig('x', databaseConfigSchema, { DATABASE_URL: `mysql://u:${secret}@h/db` });
    } catch (e) {
      expect((e as Error).message).not.toContain(secret);
    }
  });

  it('describes the schema for the documentation table', () => {
    const rows = describeConfig(databaseConfigSchema);
    expect(rows).toContainEqual({
      name: 'DATABASE_POOL_SIZE',
      description:
        'connections in the pool (at least 2: migrations at boot hold a lock on one connection while they apply on another)',
      default: '10',
    });
  });
});

describe('describeConfig defaults', () => {
  it('renders transformed defaults the way a user writes them in the environment', () => {
    const schema = z.object({
      PAIRS: z
        .string()
        .default('a:1,b:2')
        .transform((v) => new Map(v.split(',').map((p) => p.split(':') as [string, string])))
        .describe('pairs'),
      LIST: z
        .string()
        .default('x,y')
        .transform((v) => v.split(','))
        .describe('list'),
    });
    const rows = describeConfig(schema);
    expect(rows.find((r) => r.name === 'PAIRS')?.default).toBe('a:1,b:2');
    expect(rows.find((r) => r.name === 'LIST')?.default).toBe('x,y');
  });
});
