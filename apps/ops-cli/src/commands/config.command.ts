import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { configTable, renderConfigTableMarkdown, type ServiceConfigSchemaEntry } from '@pardot-x3/config';
import { findRepositoryRoot } from '@pardot-x3/local-stack';
import type { z } from 'zod';

/** The six pipeline services, in port order (3001-3006). */
const SERVICES = [
  'salesforce-ingest',
  'x3-ingest',
  'transformer',
  'mdm',
  'pardot-writer',
  'x3-order-writer',
] as const;

/**
 * Where a service's configuration schema is: apps/<service>/src/<service>.config.ts exports
 * `<camelCaseService>ConfigSchema` (e.g. mdm → mdmConfigSchema). Read from the built files, since an
 * app is not a library others import.
 */
function configModule(root: string, service: string): { file: string; exportName: string } {
  const camel = service.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return {
    file: join(root, 'apps', service, 'dist', `${service}.config.js`),
    exportName: `${camel}ConfigSchema`,
  };
}

export function configCommand(): Command {
  const config = new Command('config').description(
    'the configuration of the six services, from their own schemas',
  );

  config
    .command('docs')
    .description(
      'print the configuration table (variable, services, description, default) as Markdown, or JSON',
    )
    .option('--json', 'print the rows as JSON instead of Markdown')
    .option('--no-build', 'use the apps as already built (default: build them first; cached by Nx)')
    .action(async (options: { json?: boolean; build: boolean }) => {
      const root = findRepositoryRoot();
      if (options.build) await buildServices(root);
      const entries = await Promise.all(SERVICES.map((service) => loadSchema(root, service)));
      const rows = configTable(entries);
      process.stdout.write(
        options.json ? `${JSON.stringify(rows, null, 2)}\n` : renderConfigTableMarkdown(rows, SERVICES),
      );
    });

  return config;
}

async function loadSchema(root: string, service: string): Promise<ServiceConfigSchemaEntry> {
  const { file, exportName } = configModule(root, service);
  if (!existsSync(file)) {
    throw new Error(`${file} does not exist: build the services first (npx nx run-many -t build)`);
  }
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const schema = module[exportName];
  if (!isZodObject(schema)) {
    throw new Error(`${file} does not export a zod object schema named ${exportName}`);
  }
  return { service, schema };
}

function isZodObject(value: unknown): value is z.ZodObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    'shape' in value &&
    typeof (value as { shape: unknown }).shape === 'object'
  );
}

function buildServices(root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'npx',
      ['nx', 'run-many', '-t', 'build', '-p', SERVICES.join(','), '--outputStyle=static'],
      {
        cwd: root,
        // Build output goes to stderr, so stdout carries only the table.
        stdio: ['ignore', process.stderr, process.stderr],
      },
    );
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`building the services failed (exit code ${code})`)),
    );
  });
}
