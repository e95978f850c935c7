import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { configTable, renderConfigTableMarkdown, type ServiceConfigSchemaEntry } from '@pardot-x3/config';
import { PIPELINE_SERVICES as SERVICES } from '@pardot-x3/local-pipeline';
import { findRepositoryRoot } from '@pardot-x3/local-stack';
import type { z } from 'zod';
import { buildProjects } from '../processes/nx-build.js';

const README_START = '<!-- config-table:start -->';
const README_END = '<!-- config-table:end -->';

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
    .option(
      '--readme',
      'write the table into README.md (between the config-table markers) instead of printing it',
    )
    .option('--check', 'exit 1 when README.md does not hold the current table (for CI)')
    .option('--no-build', 'use the apps as already built (default: build them first; cached by Nx)')
    .action(async (options: { json?: boolean; readme?: boolean; check?: boolean; build: boolean }) => {
      const root = findRepositoryRoot();
      if (options.build) await buildProjects(SERVICES, (line) => console.error(`[config] ${line}`));
      const entries = await Promise.all(SERVICES.map((service) => loadSchema(root, service)));
      const rows = configTable(entries);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const table = renderConfigTableMarkdown(rows, SERVICES);
      if (!options.readme && !options.check) {
        process.stdout.write(table);
        return;
      }
      const readmeFile = join(root, 'README.md');
      const readme = readFileSync(readmeFile, 'utf8');
      const start = readme.indexOf(README_START);
      const end = readme.indexOf(README_END);
      if (start < 0 || end < start)
        throw new Error(`README.md has no ${README_START} … ${README_END} section`);
      const updated = `${readme.slice(0, start + README_START.length)}\n${table.trimEnd()}\n${readme.slice(end)}`;
      if (options.check) {
        if (updated !== readme) {
          console.error(
            'README.md does not hold the current configuration table: run ./pardot-x3 config docs --readme',
          );
          process.exitCode = 1;
        } else console.error('README.md holds the current configuration table');
        return;
      }
      writeFileSync(readmeFile, updated);
      console.error(`wrote ${rows.length} variables into README.md`);
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
