import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { secretSettingNames, secretValues } from '@pardot-x3/config';
import {
  SANDBOX_ADMIN_TOKEN,
  SANDBOX_SALESFORCE_APP,
  SANDBOX_X3,
  PIPELINE_SERVICES,
} from '@pardot-x3/local-pipeline';
import { findRepositoryRoot } from '@pardot-x3/local-stack';
import { issueSandboxAccessToken, verifySandboxAccessToken } from '@pardot-x3/sandbox-kit';

/**
 * Runs after every e2e test (vitest group 3, `e2e#after-e2e`): reads every log the e2e and integration
 * tests' processes wrote (reports/e2e-logs, reports/test-processes; `./pardot-x3 test` empties both
 * first) and looks for every secret those processes were configured with — each setting their schema
 * declares secret, from the environment each process started with (recorded beside its log by
 * ServiceProcess) or its default — the sandbox credentials of libs/ops/local-pipeline, the database
 * password, and every access token the Salesforce sandbox issued (any Salesforce-shaped token whose
 * signature verifies with a sandbox token secret). Findings name the file, line and setting, never the
 * value.
 */

const ROOT = findRepositoryRoot();
/** PX3_E2E_LOG_DIR moves the service logs (and this scan) elsewhere, e.g. for one e2e file run by hand. */
const LOG_DIRS = process.env['PX3_E2E_LOG_DIR']
  ? [process.env['PX3_E2E_LOG_DIR']]
  : [join(ROOT, 'reports', 'e2e-logs'), join(ROOT, 'reports', 'test-processes')];
const APPS = [...PIPELINE_SERVICES, 'sandbox-salesforce', 'sandbox-pardot', 'sandbox-x3'] as const;
/** Shorter values ("unused", "secret") are words a log may hold for other reasons. */
const MIN_SECRET_LENGTH = 8;
/** `<15-character org id>!<base64url claims>.<base64url HMAC-SHA256>`, as the sandboxes issue them. */
const SANDBOX_TOKEN = /00D[A-Za-z0-9]{12}![A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{43}/g;
/** An Authorization header value written out instead of redacted. */
const BEARER = /Bearer\s+(?!\[redacted\])[A-Za-z0-9._~+/!-]{12,}/g;

interface EnvRecord {
  readonly app: string;
  readonly env: Record<string, string>;
}

async function appSchema(app: string): Promise<z.ZodObject> {
  const camel = app.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const file = join(ROOT, 'apps', app, 'src', `${app}.config.ts`);
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const schema = module[`${camel}ConfigSchema`];
  if (!(schema instanceof z.ZodObject)) throw new Error(`${file} exports no ${camel}ConfigSchema`);
  return schema;
}

function files(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .map((name) => join(dir, name));
}

/** name of the setting (for the report) → values it was configured with. */
type SecretCatalog = Map<string, string>;

function addSecret(catalog: SecretCatalog, label: string, values: readonly string[]): void {
  for (const value of values)
    if (value.length >= MIN_SECRET_LENGTH && !catalog.has(value)) catalog.set(value, label);
}

async function configuredSecrets(): Promise<{
  catalog: SecretCatalog;
  tokenSecrets: Set<string>;
  records: number;
}> {
  const catalog: SecretCatalog = new Map();
  const tokenSecrets = new Set<string>();
  const schemas = new Map<string, z.ZodObject>();
  for (const app of APPS) schemas.set(app, await appSchema(app));

  // Each secret setting's default (the sandboxes start with working credentials).
  for (const [app, schema] of schemas)
    for (const name of secretSettingNames(schema)) {
      const parsed = (schema.shape[name] as z.ZodType).safeParse(undefined);
      if (parsed.success && parsed.data !== undefined)
        addSecret(catalog, `${app} ${name} (default)`, secretValues(schema, { [name]: parsed.data }));
      if (name === 'SANDBOX_TOKEN_SECRET' && parsed.success) tokenSecrets.add(String(parsed.data));
    }

  // What every process of the run was started with.
  let records = 0;
  for (const file of LOG_DIRS.flatMap((dir) => files(dir, '.env.jsonl'))) {
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const record = JSON.parse(line) as EnvRecord;
      records += 1;
      const schema = schemas.get(record.app);
      const names = schema
        ? secretSettingNames(schema)
        : Object.keys(record.env).filter((n) => /PASSWORD|SECRET|TOKEN|PRIVATE_KEY|DATABASE_URL/.test(n));
      for (const name of names) {
        const fromFile = record.env[`${name}_FILE`];
        const value =
          record.env[name] ??
          (fromFile && existsSync(fromFile) ? readFileSync(fromFile, 'utf8').trim() : undefined);
        if (value === undefined) continue;
        const parsed = schema ? (schema.shape[name] as z.ZodType).safeParse(value) : undefined;
        const values = schema && parsed?.success ? secretValues(schema, { [name]: parsed.data }) : [value];
        addSecret(catalog, `${record.app} ${name}`, [...values, value]);
        if (name === 'SANDBOX_TOKEN_SECRET') tokenSecrets.add(value);
      }
    }
  }

  // The credentials the local pipeline gives the sandboxes and services, and the stack's database.
  addSecret(catalog, 'local-pipeline Salesforce client secret', [SANDBOX_SALESFORCE_APP.clientSecret]);
  addSecret(catalog, 'local-pipeline X3 passwords', [
    SANDBOX_X3.integrationUser.password,
    SANDBOX_X3.erpUser.password,
  ]);
  addSecret(catalog, 'local-pipeline X3 webhook secret', [SANDBOX_X3.webhookSecret]);
  addSecret(catalog, 'local-pipeline sandbox admin token', [SANDBOX_ADMIN_TOKEN]);
  const databaseUrl = process.env['DATABASE_URL'];
  if (databaseUrl)
    addSecret(catalog, 'DATABASE_URL (test run)', [databaseUrl, new URL(databaseUrl).password]);
  return { catalog, tokenSecrets, records };
}

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly what: string;
}

function scanText(
  file: string,
  text: string,
  catalog: SecretCatalog,
  tokenSecrets: ReadonlySet<string>,
): Finding[] {
  const findings: Finding[] = [];
  // Each value as written raw and as written inside a JSON string (quotes, backslashes, newlines escaped).
  const forms = [...catalog.entries()].map(([value, label]) => ({
    label,
    texts: [...new Set([value, JSON.stringify(value).slice(1, -1)])],
  }));
  const lines = text.split('\n');
  lines.forEach((content, index) => {
    const at = { file, line: index + 1 };
    for (const { label, texts } of forms)
      if (texts.some((t) => content.includes(t))) findings.push({ ...at, what: label });
    for (const [token] of content.matchAll(SANDBOX_TOKEN)) {
      const issued = [...tokenSecrets].some((secret) => {
        const check = verifySandboxAccessToken(token, secret);
        return check.valid || check.reason === 'expired';
      });
      if (issued) findings.push({ ...at, what: 'an access token issued by the Salesforce sandbox' });
    }
    for (const [bearer] of content.matchAll(BEARER))
      findings.push({ ...at, what: `a bearer credential (${bearer.slice(0, 10)}…)` });
  });
  return findings;
}

describe('the logs of the e2e run', () => {
  it('hold no configured secret and no issued access token', async () => {
    const { catalog, tokenSecrets, records } = await configuredSecrets();
    const logs = LOG_DIRS.flatMap((dir) => files(dir, '.log'));
    expect(logs.length, `no logs in ${LOG_DIRS.join(', ')}: run the e2e tests first`).toBeGreaterThan(0);
    expect(
      records,
      'no recorded process environments (ServiceProcess writes <log>.env.jsonl)',
    ).toBeGreaterThan(0);
    const findings = logs.flatMap((file) =>
      scanText(file, readFileSync(file, 'utf8'), catalog, tokenSecrets),
    );
    const report = findings
      .slice(0, 50)
      .map((f) => `${relative(ROOT, f.file)}:${f.line}: ${f.what}`)
      .join('\n');
    expect(findings, `secrets found in the logs (${findings.length}):\n${report}`).toEqual([]);
  });

  it('would notice a leaked secret or token (the scan itself is checked)', () => {
    const token = issueSandboxAccessToken(
      {
        orgId: '00D5g000004SbxAEAS',
        userId: '005000000000001',
        clientId: 'x',
        scopes: ['api'],
        ttlSeconds: 1,
      },
      'pardot-x3-sandbox-token-secret',
    );
    const catalog: SecretCatalog = new Map([['local-x3-webhook-secret', 'x3-ingest X3_WEBHOOK_SECRET']]);
    const text = [
      '{"msg":"configuration loaded","config":{"X3_WEBHOOK_SECRET":"local-x3-webhook-secret"}}',
      `{"msg":"calling","token":"${token}"}`,
      '{"msg":"request","headers":{"authorization":"Bearer abcdefghijklmnop"}}',
      '{"msg":"fine","authorization":"Bearer [redacted]"}',
    ].join('\n');
    const findings = scanText('x.log', text, catalog, new Set(['pardot-x3-sandbox-token-secret']));
    expect(findings.map((f) => [f.line, f.what])).toEqual([
      [1, 'x3-ingest X3_WEBHOOK_SECRET'],
      [2, 'an access token issued by the Salesforce sandbox'],
      [3, 'a bearer credential (Bearer abc…)'],
    ]);
  });
});
