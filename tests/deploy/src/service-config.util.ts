import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '@pardot-x3/config';
import { pardotConfigSchema } from '@pardot-x3/pardot-connector';
import { salesforceConfigSchema, salesforceCredentialsFromConfig } from '@pardot-x3/salesforce-connector';
import { x3ConfigSchema } from '@pardot-x3/x3-connector';
import { z } from 'zod';
import { REPO_ROOT, type PipelineService } from './deployment.constants.js';

export type ExternalSystem = 'salesforce' | 'pardot' | 'x3';

/** The external systems each service talks to (Pardot's token comes from the Salesforce connector). */
export const SERVICE_CONNECTORS: Record<PipelineService, readonly ExternalSystem[]> = {
  'salesforce-ingest': ['salesforce', 'pardot'],
  'x3-ingest': ['x3'],
  transformer: [],
  mdm: [],
  'pardot-writer': ['pardot', 'salesforce'],
  'x3-order-writer': ['x3'],
};

/** Variables each connector needs whatever the authentication flow. */
export const CONNECTOR_VARIABLES: Record<ExternalSystem, readonly string[]> = {
  salesforce: ['SALESFORCE_LOGIN_URL', 'SALESFORCE_CLIENT_ID'],
  pardot: ['PARDOT_BASE_URL', 'PARDOT_BUSINESS_UNIT_ID'],
  x3: ['X3_BASE_URL', 'X3_FOLDER', 'X3_USERNAME', 'X3_PASSWORD'],
};

/** Variables that are secrets: never in a ConfigMap, never a plain value in the chart. */
export const SECRET_VARIABLES = [
  'DATABASE_URL',
  'KAFKA_SASL_PASSWORD',
  'SCHEMA_REGISTRY_PASSWORD',
  'SALESFORCE_PRIVATE_KEY',
  'SALESFORCE_CLIENT_SECRET',
  'X3_PASSWORD',
  'X3_WEBHOOK_SECRET',
] as const;

/**
 * The zod schema an app validates its environment with at boot: `<camelCaseApp>ConfigSchema` of
 * apps/<app>/src/<app>.config.ts (the file `./pardot-x3 config docs` reads too).
 */
export async function appConfigSchema(app: string): Promise<z.ZodObject> {
  const camel = app.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const file = join(REPO_ROOT, 'apps', app, 'src', `${app}.config.ts`);
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const schema = module[`${camel}ConfigSchema`];
  if (!(schema instanceof z.ZodObject)) throw new Error(`${file} exports no ${camel}ConfigSchema`);
  return schema;
}

/**
 * Validates a service's environment the way the service does at boot: its own schema, and the schema of
 * each connector it uses (the Salesforce one including the choice of OAuth flow). Throws the services'
 * ConfigValidationError, naming every problem.
 */
export async function validateServiceEnvironment(
  service: PipelineService,
  env: Record<string, string>,
): Promise<void> {
  loadConfig(service, await appConfigSchema(service), env);
  for (const system of SERVICE_CONNECTORS[service]) {
    if (system === 'salesforce')
      salesforceCredentialsFromConfig(loadConfig(service, salesforceConfigSchema, env), service);
    if (system === 'pardot') loadConfig(service, pardotConfigSchema, env);
    if (system === 'x3') loadConfig(service, x3ConfigSchema, env);
  }
}
