import { constants, accessSync, readFileSync, statSync } from 'node:fs';
import type { z } from 'zod';

/**
 * Marks a setting as a secret: its value is redacted from the `configuration loaded` log line (and,
 * through `secretValues`, from every log line), the documentation table says so, and it may be read
 * from a file named by `<NAME>_FILE` (a Kubernetes Secret mounted as a volume). Wrap the whole field,
 * description and default included: `secret(z.string().min(16).optional().describe('…'))`.
 */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ ...(schema.meta() ?? {}), secret: true });
}

/** Whether a setting was declared with `secret()` (on the field itself or on a schema it wraps). */
export function isSecretSetting(field: z.ZodType): boolean {
  const seen = new Set<z.ZodType>();
  const walk = (type: z.ZodType | undefined): boolean => {
    if (!type || seen.has(type)) return false;
    seen.add(type);
    if ((type.meta() as { secret?: unknown } | undefined)?.secret === true) return true;
    const def = type._zod.def as unknown as Record<string, unknown>;
    return [def['innerType'], def['in'], def['out'], def['schema']].some(
      (inner) => typeof inner === 'object' && inner !== null && '_zod' in inner && walk(inner as z.ZodType),
    );
  };
  return walk(field);
}

/** The names of a schema's secret settings. */
export function secretSettingNames(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => isSecretSetting(field as z.ZodType))
    .map(([name]) => name);
}

/** The variable naming the file a secret setting may be read from. */
export function secretFileVariable(name: string): string {
  return `${name}_FILE`;
}

export interface SecretFileResolution {
  /** The environment with every `<NAME>_FILE` replaced by `<NAME>` holding the file's trimmed content. */
  readonly env: NodeJS.ProcessEnv;
  /** Problems, one per variable, naming the variable and the file (never its content). */
  readonly problems: readonly { readonly name: string; readonly problem: string }[];
}

/**
 * Reads `<NAME>_FILE` for every secret setting of the schema: the file must exist, be a readable
 * regular file and hold something besides white space (its content is trimmed, so the trailing newline
 * of `echo … > file` or `kubectl create secret --from-file` does not end up in a password). Setting both
 * `<NAME>` and `<NAME>_FILE` is a problem: which one wins would be a guess.
 */
export function resolveSecretFiles(schema: z.ZodObject, env: NodeJS.ProcessEnv): SecretFileResolution {
  const resolved: NodeJS.ProcessEnv = { ...env };
  const problems: { name: string; problem: string }[] = [];
  for (const name of secretSettingNames(schema)) {
    const fileVariable = secretFileVariable(name);
    const path = env[fileVariable];
    if (path === undefined || path === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      problems.push({ name, problem: `${name} and ${fileVariable} are both set: set only one of them` });
      continue;
    }
    const read = readSecretFile(path);
    if ('problem' in read) problems.push({ name, problem: `${fileVariable} ${read.problem}` });
    else resolved[name] = read.value;
  }
  return { env: resolved, problems };
}

function readSecretFile(path: string): { value: string } | { problem: string } {
  try {
    if (!statSync(path).isFile()) return { problem: `names ${path}, which is not a regular file` };
    accessSync(path, constants.R_OK);
    const value = readFileSync(path, 'utf8').trim();
    if (value === '') return { problem: `names ${path}, which is empty` };
    return { value };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: `names ${path}, which does not exist` };
    if (code === 'EACCES' || code === 'EPERM')
      return { problem: `names ${path}, which this process may not read (${code})` };
    return { problem: `names ${path}, which cannot be read (${code ?? (error as Error).message})` };
  }
}

/**
 * The secret values of a loaded configuration, as they could appear in text: each secret's value, for a
 * URL also its password, for a map ("name:password,…") each value. Values shorter than `minLength` are
 * left out (replacing "a" everywhere would ruin the logs and hide nothing). Longest first.
 */
export function secretValues(schema: z.ZodObject, config: object, minLength = 6): string[] {
  const values = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string' && value.length >= minLength) values.add(value);
  };
  const settings = config as Record<string, unknown>;
  for (const name of secretSettingNames(schema)) {
    const value = settings[name];
    if (typeof value === 'string') {
      add(value);
      const password = urlPassword(value);
      if (password !== undefined) {
        add(password);
        add(safeDecode(password));
      }
    } else if (value instanceof Map) [...value.values()].forEach(add);
    else if (Array.isArray(value)) value.forEach(add);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

function urlPassword(text: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return undefined;
  try {
    return new URL(text).password || undefined;
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
