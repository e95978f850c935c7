import { z } from 'zod';

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
 * names and whose `.describe()` texts document them. Secrets never appear in the messages: only the
 * variable name and what was expected.
 */
export function loadConfig<S extends z.ZodObject>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join('.');
    const field = schema.shape[key as keyof typeof schema.shape] as z.ZodType | undefined;
    const description = field?.description ? ` (${field.description})` : '';
    const what =
      issue.code === 'invalid_type' && env[key] === undefined ? 'is required but not set' : issue.message;
    return `${key} ${what}${description}`;
  });
  throw new ConfigValidationError(service, problems);
}

/**
 * A variable is a secret when its description says so in parentheses: "(secret)" or
 * "(secret: contains the password)". The documentation table and `redactConfig` both rely on it.
 */
export const SECRET_MARKER = /\(secret\b/i;

export interface ConfigVariable {
  readonly name: string;
  readonly description: string;
  readonly default?: string;
  /** Present (true) only for variables that must be set (no default, not optional). */
  readonly required?: true;
  /** Present (true) only for secrets. */
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
      ...(SECRET_MARKER.test(description) ? { secret: true as const } : {}),
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
  const secrets = new Set(
    describeConfig(schema)
      .filter((v) => v.secret)
      .map((v) => v.name),
  );
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      secrets.has(key) && value !== undefined ? censor : value,
    ]),
  );
}
