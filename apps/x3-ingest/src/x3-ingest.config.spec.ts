import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Module } from '@nestjs/common';
import { createServiceApp } from '@pardot-x3/service-runtime';
import { describe, expect, it } from 'vitest';
import { x3IngestConfigSchema } from './x3-ingest.config.js';

@Module({})
class NoFlowsModule {}

const WEBHOOK_SECRET = 'x3-webhook-secret-never-in-a-log';
const X3_PASSWORD = 'x3-password-never-in-a-log';
const DB_PASSWORD = 'db-password-never-in-a-log';

const baseEnv = {
  PORT: '3999',
  KAFKA_BROKERS: '127.0.0.1:9',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:9/apis/ccompat/v7',
  DATABASE_URL: `postgres://px3:${DB_PASSWORD}@127.0.0.1:9/px3`,
  X3_BASE_URL: 'http://127.0.0.1:9',
  X3_FOLDER: 'SEED',
  X3_USERNAME: 'px3',
};

/** Builds x3-ingest's runtime (no flows: nothing connects) and returns what it logged at boot. */
async function bootLog(env: Record<string, string>): Promise<{ text: string; config: unknown }> {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const app = await createServiceApp({
    service: 'x3-ingest',
    configSchema: x3IngestConfigSchema,
    module: NoFlowsModule,
    env,
    logDestination: out,
  });
  const config = app.config;
  await app.nest.close();
  return { text: chunks.join(''), config };
}

function configurationLoaded(text: string): Record<string, unknown> {
  const line = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l['msg'] === 'configuration loaded');
  if (!line) throw new Error(`no "configuration loaded" line in:\n${text}`);
  return line['config'] as Record<string, unknown>;
}

describe('x3-ingest boot log', () => {
  it('never shows X3_WEBHOOK_SECRET, X3_PASSWORD or the database password', async () => {
    const { text } = await bootLog({
      ...baseEnv,
      X3_PASSWORD,
      X3_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    expect(configurationLoaded(text)).toMatchObject({
      X3_WEBHOOK_SECRET: '[redacted]',
      X3_PASSWORD: '[redacted]',
      DATABASE_URL: '[redacted]',
      X3_USERNAME: 'px3',
    });
    expect(text).not.toContain(WEBHOOK_SECRET);
    expect(text).not.toContain(X3_PASSWORD);
    expect(text).not.toContain(DB_PASSWORD);
  });

  it('reads secrets from <NAME>_FILE (a mounted Kubernetes Secret) and never shows them either', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'px3-x3-ingest-secrets-'));
    writeFileSync(join(dir, 'x3-webhook-secret'), `${WEBHOOK_SECRET}-from-file\n`);
    writeFileSync(join(dir, 'x3-password'), `${X3_PASSWORD}-from-file\n`);
    const { text, config } = await bootLog({
      ...baseEnv,
      X3_PASSWORD_FILE: join(dir, 'x3-password'),
      X3_WEBHOOK_SECRET_FILE: join(dir, 'x3-webhook-secret'),
    });
    expect(config).toMatchObject({
      X3_WEBHOOK_SECRET: `${WEBHOOK_SECRET}-from-file`,
      X3_PASSWORD: `${X3_PASSWORD}-from-file`,
    });
    expect(configurationLoaded(text)).toMatchObject({
      X3_WEBHOOK_SECRET: '[redacted]',
      X3_PASSWORD: '[redacted]',
    });
    expect(text).not.toContain(WEBHOOK_SECRET);
    expect(text).not.toContain(X3_PASSWORD);
  });
});
