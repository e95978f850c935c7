import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeConfig, redactConfig } from './config-loader.js';
import { configTable, renderConfigTableMarkdown } from './config-table.js';
import { databaseConfigSchema, httpServerConfigSchemaWithPort, kafkaConfigSchema } from './common-config.js';
import { secret } from './secret-setting.js';

const ingest = httpServerConfigSchemaWithPort(3002)
  .extend(kafkaConfigSchema.shape)
  .extend(databaseConfigSchema.shape);
const transformer = httpServerConfigSchemaWithPort(3003).extend(kafkaConfigSchema.shape);

describe('describeConfig', () => {
  it('marks secrets and required variables', () => {
    const rows = describeConfig(ingest);
    expect(rows.find((r) => r.name === 'DATABASE_URL')).toMatchObject({ secret: true, required: true });
    expect(rows.find((r) => r.name === 'KAFKA_SASL_PASSWORD')).toMatchObject({ secret: true });
    expect(rows.find((r) => r.name === 'KAFKA_SASL_PASSWORD')?.required).toBeUndefined();
    expect(rows.find((r) => r.name === 'KAFKA_BROKERS')?.secret).toBeUndefined();
  });
});

describe('redactConfig', () => {
  it('replaces the value of every secret and keeps the rest', () => {
    const schema = z.object({
      DATABASE_URL: databaseConfigSchema.shape.DATABASE_URL,
      TOKEN: secret(z.string().optional().describe('API token')),
      // The word alone does not make a secret: the flag does.
      NOTE: z.string().optional().describe('a note about a secret (secret)'),
      LOG_LEVEL: z.string(),
    });
    const config = { DATABASE_URL: 'postgres://u:pw@h/db', TOKEN: 'abc', LOG_LEVEL: 'info', NOTE: 'n' };
    expect(redactConfig(schema, config)).toEqual({
      DATABASE_URL: '[redacted]',
      TOKEN: '[redacted]',
      LOG_LEVEL: 'info',
      NOTE: 'n',
    });
    expect(redactConfig(schema, { LOG_LEVEL: 'debug', TOKEN: undefined })).toEqual({
      LOG_LEVEL: 'debug',
      TOKEN: undefined,
    });
  });
});

describe('configTable', () => {
  const rows = configTable([
    { service: 'x3-ingest', schema: ingest },
    { service: 'transformer', schema: transformer },
  ]);

  it('has one row per variable, listing the services that read it', () => {
    expect(rows.filter((r) => r.name === 'KAFKA_BROKERS')).toHaveLength(1);
    expect(rows.find((r) => r.name === 'KAFKA_BROKERS')?.services).toEqual(['x3-ingest', 'transformer']);
    expect(rows.find((r) => r.name === 'DATABASE_URL')?.services).toEqual(['x3-ingest']);
  });

  it('keeps each service its own default', () => {
    expect(rows.find((r) => r.name === 'PORT')?.defaults).toEqual({
      'x3-ingest': '3002',
      transformer: '3003',
    });
  });

  it('renders Markdown with secrets, required variables and per-service defaults', () => {
    const markdown = renderConfigTableMarkdown(rows, ['x3-ingest', 'transformer']);
    const lines = markdown.trimEnd().split('\n');
    expect(lines[0]).toBe('| variable | services | description | default |');
    expect(lines).toContain(
      '| `DATABASE_URL` | x3-ingest | PostgreSQL connection URL (it contains the password) — **secret**; or a file: `DATABASE_URL_FILE` | required |',
    );
    expect(lines).toContain(
      '| `PORT` | all | HTTP port for /health, /metrics and the service routes | `3002` (x3-ingest), `3003` (transformer) |',
    );
    expect(lines).toContain('| `LOG_LEVEL` | all | log level | `info` |');
    expect(lines).toContain(
      '| `PX3_TOPIC_NAMESPACE` | all | prefix of every topic and schema subject, to run several environments on one cluster | `""` |',
    );
  });

  it('escapes pipes so a description cannot break the table', () => {
    const odd = configTable([
      { service: 's', schema: z.object({ MODE: z.enum(['a', 'b']).default('a').describe('a | b') }) },
    ]);
    expect(renderConfigTableMarkdown(odd, ['s'])).toContain('| `MODE` | all | a \\| b | `a` |');
  });
});
