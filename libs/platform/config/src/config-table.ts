import type { z } from 'zod';
import { describeConfig } from './config-loader.js';
import { secretFileVariable } from './secret-setting.js';

/** Shown as the default of a variable that must be set. */
export const REQUIRED = 'required';

export interface ServiceConfigSchemaEntry {
  readonly service: string;
  readonly schema: z.ZodObject;
}

/** One variable across every service that reads it. */
export interface ConfigTableRow {
  readonly name: string;
  /** Services reading the variable, in the order given. */
  readonly services: readonly string[];
  readonly description: string;
  /** Default per service: a value, "required", or undefined (optional, no default). */
  readonly defaults: Readonly<Record<string, string | undefined>>;
  readonly secret: boolean;
}

/**
 * The configuration table of several services: one row per variable (in order of first appearance),
 * listing the services that read it and their defaults. The first service's description wins when
 * two schemas describe a variable differently.
 */
export function configTable(entries: readonly ServiceConfigSchemaEntry[]): ConfigTableRow[] {
  const rows = new Map<
    string,
    { services: string[]; description: string; defaults: Record<string, string | undefined>; secret: boolean }
  >();
  for (const { service, schema } of entries) {
    for (const variable of describeConfig(schema)) {
      const row = rows.get(variable.name) ?? {
        services: [],
        description: variable.description,
        defaults: {},
        secret: false,
      };
      row.services.push(service);
      row.defaults[service] = variable.required ? REQUIRED : variable.default;
      row.secret ||= variable.secret === true;
      rows.set(variable.name, row);
    }
  }
  return [...rows.entries()].map(([name, row]) => ({ name, ...row }));
}

/**
 * The table as Markdown (variable, services, description, default), as embedded in the README.
 * Secrets (declared with `secret()`) say so, and name the `<NAME>_FILE` variable they may be read from
 * instead; "all" stands for every service given.
 */
export function renderConfigTableMarkdown(
  rows: readonly ConfigTableRow[],
  allServices: readonly string[],
): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = ['| variable | services | description | default |', '| --- | --- | --- | --- |'];
  for (const row of rows) {
    const services = row.services.length === allServices.length ? 'all' : row.services.join(', ');
    const description = row.secret
      ? `${row.description} — **secret**; or a file: \`${secretFileVariable(row.name)}\``
      : row.description;
    lines.push(
      `| \`${row.name}\` | ${cell(services)} | ${cell(description)} | ${cell(formatDefaults(row))} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function formatDefaults(row: ConfigTableRow): string {
  const format = (value: string | undefined): string =>
    value === undefined ? '' : value === REQUIRED ? REQUIRED : value === '' ? '`""`' : `\`${value}\``;
  const distinct = new Set(row.services.map((service) => row.defaults[service]));
  if (distinct.size === 1) return format([...distinct][0]);
  return row.services
    .map((service) => `${format(row.defaults[service]) || '(none)'} (${service})`)
    .join(', ');
}
