import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { ConfigFileError, type ConfigIssue } from './config-file.error.js';

export type ConfigPath = readonly (string | number)[];

/**
 * Reports a semantic problem (one zod cannot see) at a path of the document: at its value, or with
 * `{ at: 'key' }` at the key itself (for a problem with the name, such as an unknown field).
 */
export type ReportConfigIssue = (
  path: ConfigPath,
  message: string,
  options?: { readonly at?: 'key' | 'value' },
) => void;

/**
 * Parses a YAML configuration text (never a file: callers read it) and validates it, first with a zod
 * schema for the shape, then with an optional semantic check. Every problem, YAML syntax included,
 * is reported at once with the line and column of the offending key or value.
 */
export function parseYamlConfig<T>(
  text: string,
  fileName: string,
  schema: z.ZodType<T>,
  check?: (value: T, report: ReportConfigIssue) => void,
): T {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: ConfigIssue[] = [];

  for (const error of [...document.errors, ...document.warnings]) {
    const at = lineCounter.linePos(error.pos[0]);
    issues.push({ path: '', message: firstLine(error.message), line: at.line, column: at.col });
  }
  if (issues.length > 0) throw new ConfigFileError(fileName, issues);
  if (document.contents === null)
    throw new ConfigFileError(fileName, [{ path: '', message: 'the file is empty', line: 0, column: 0 }]);

  const locate = (path: ConfigPath, key?: string): { line: number; column: number } =>
    locateInDocument(document, lineCounter, path, key);
  const result = schema.safeParse(document.toJS({ maxAliasCount: 100 }), { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          issues.push({
            path: formatConfigPath([...path, key]),
            message: `unknown key "${key}"`,
            ...locate(path, key),
          });
        }
        continue;
      }
      issues.push({ path: formatConfigPath(path), message: describeZodIssue(issue), ...locate(path) });
    }
    throw new ConfigFileError(fileName, sortIssues(issues));
  }

  check?.(result.data, (path, message, options) => {
    const last = path[path.length - 1];
    const where =
      options?.at === 'key' && typeof last === 'string' ? locate(path.slice(0, -1), last) : locate(path);
    issues.push({ path: formatConfigPath(path), message, ...where });
  });
  if (issues.length > 0) throw new ConfigFileError(fileName, sortIssues(issues));
  return result.data;
}

/** `fields.email.as`, `lines[2].ITMREF`: how a path is shown to users. */
export function formatConfigPath(path: ConfigPath): string {
  return path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part),
    '',
  );
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'invalid_type')
    return `must be ${article(issue.expected)}, not ${describeInput(issue.input)}`;
  if (issue.code === 'invalid_value')
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, not ${describeInput(issue.input)}`;
  return issue.message;
}

function article(expected: string): string {
  const names: Record<string, string> = {
    int: 'a whole number',
    number: 'a number',
    string: 'a text',
    boolean: 'true or false',
    object: 'a mapping (key: value)',
    array: 'a list',
    record: 'a mapping (key: value)',
  };
  return names[expected] ?? expected;
}

function describeInput(input: unknown): string {
  if (input === null) return 'empty';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return JSON.stringify(input);
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * The position of the deepest node of `path` that exists. A mapping or list is shown at its key (that
 * names it, and a block one starts on the line after); `key` asks for the position of that key itself.
 */
function locateInDocument(
  document: Document,
  lineCounter: LineCounter,
  path: ConfigPath,
  key?: string,
): { line: number; column: number } {
  let node: unknown = document.contents;
  let position = rangeStart(node);
  const parts = key === undefined ? path : [...path, key];
  for (const [index, part] of parts.entries()) {
    const next = childOf(node, part);
    if (next === undefined) break;
    if (key !== undefined && index === parts.length - 1) {
      position = next.keyStart ?? position;
      break;
    }
    node = next.value;
    const isCollection = isMap(node) || isSeq(node);
    position = (isCollection ? next.keyStart : undefined) ?? rangeStart(node) ?? next.keyStart ?? position;
  }
  if (position === undefined) return { line: 1, column: 1 };
  const at = lineCounter.linePos(position);
  return { line: at.line, column: at.col };
}

function childOf(node: unknown, part: string | number): { value: unknown; keyStart?: number } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(part));
    if (!pair) return undefined;
    return { value: pair.value, keyStart: rangeStart(pair.key) };
  }
  if (isSeq(node) && typeof part === 'number') {
    const item: unknown = node.items[part];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
