import type { z } from 'zod';
import {
  isSecretSetting,
  resolveSecretFiles,
  secretFileVariable,
  secretSettingNames,
} from './secret-setting.js';

/** Raised at boot when the environment does not describe a runnable service; lists every problem at once. */
export class ConfigValidationError extends Error {
  readonly problems: readonly string[];

  constructor(service: string, problems: readonly string[]) {
    super(
      `${service}: the configuration is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSee the configuration table in README.md.',
    );
    this.name = 'ConfigValidationError';
    this.problems = problems;
  }
}

/**
 * Validates the environment once, at boot, against a zod schema whose keys are environment variable
 * names and whose `.describe()` texts document them. A setting declared with `secret()` may be given
 * as a file instead (`<NAME>_FILE`, e.g. a mounted Kubernetes Secret). Secrets never appear in the
 * messages: only the variable name, what was expected and, for a file, its path.
 */
export function loadConfig<S extends z.ZodObject>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const files = resolveSecretFiles(schema, env);
  const result = schema.safeParse(files.env);
  if (result.success && files.problems.length === 0) return result.data;
  const withFileProblem = new Set(files.problems.map((p) => p.name));
  const fieldOf = (key: string): z.ZodType | undefined =>
    schema.shape[key as keyof typeof schema.shape] as z.ZodType | undefined;
  const describe = (key: string): string => {
    const description = fieldOf(key)?.description;
    return description ? ` (${description})` : '';
  };
  const problems = [
    ...files.problems.map(({ name, problem }) => `${problem}${describe(name)}`),
    ...(result.success ? [] : result.error.issues)
      .filter((issue) => !withFileProblem.has(issue.path.join('.')))
      .map((issue) => {
        const key = issue.path.join('.');
        const field = fieldOf(key);
        const notSet = issue.code === 'invalid_type' && files.env[key] === undefined;
        if (!notSet) return `${key} ${issue.message}${describe(key)}`;
        const orFile = field && isSecretSetting(field) ? `; or give ${secretFileVariable(key)}` : '';
        return `${key} is required but not set${describe(key)}${orFile}`;
      }),
  ];
  throw new ConfigValidationError(service, problems);
}

export interface ConfigVariable {
  readonly name: string;
  readonly description: string;
  readonly default?: string;
  /** Present (true) only for variables that must be set (no default, not optional). */
  readonly required?: true;
  /** Present (true) only for secrets (declared with `secret()`; also readable from `<name>_FILE`). */
  readonly secret?: true;
}

/** Rows for the README configuration table, generated from the schemas themselves. */
export function describeConfig(schema: z.ZodObject): ConfigVariable[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const type = field as z.ZodType;
    const parsed = type.safeParse(undefined);
    const description = type.description ?? '';
    return {
      name,
      description,
      default: parsed.success && parsed.data !== undefined ? renderDefault(parsed.data) : undefined,
      ...(parsed.success ? {} : { required: true as const }),
      ...(isSecretSetting(type) ? { secret: true as const } : {}),
    };
  });
}

/** A parsed default as a user would write it in the environment (maps as `k:v,…`, lists comma-separated). */
function renderDefault(value: unknown): string {
  if (value instanceof Map) return [...value].map(([k, v]) => `${String(k)}:${String(v)}`).join(',');
  if (Array.isArray(value)) return value.map(String).join(',');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** The configuration with every secret's value replaced, safe to log (e.g. once at boot). */
export function redactConfig<T extends object>(
  schema: z.ZodObject,
  config: T,
  censor = '[redacted]',
): Record<string, unknown> {
  const secrets = new Set(secretSettingNames(schema));
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      secrets.has(key) && value !== undefined ? censor : value,
    ]),
  );
}
