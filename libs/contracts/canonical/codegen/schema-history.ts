/**
 * The history of every registered subject, for the compatibility check against a real registry
 * (`./pardot-x3 schemas check --history`): the schema text each catalog subject had at every commit
 * that changed schemas/ (oldest first), then the working tree's. Prints JSON on standard output:
 *
 *   {"commits": 3, "subjects": [{"subject": "customer.observation.recorded.v1-value", "versions": ["{...}", ...]}]}
 *
 * Usage: node libs/contracts/canonical/codegen/schema-history.ts [--since <git ref>]
 * (--since: only commits after that ref, e.g. the base branch of a pull request; its own state is
 * included as the first version). A shallow clone only sees the commits it has.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { AvroSchemaSet, type JsonValue, type SchemaFile } from './avro-schema-set.ts';
import { compileCatalog } from './catalog-compiler.ts';

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const DEAD_LETTER = 'pardotx3.platform.DeadLetter';

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: workspaceRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Subject → registered schema text, for one state of schemas/. */
export function subjectsOf(files: SchemaFile[], catalogYaml: string): Map<string, string> {
  const schemas = AvroSchemaSet.load(files);
  const catalog = compileCatalog(parseYaml(catalogYaml) as JsonValue, schemas);
  const subjects = new Map<string, string>();
  for (const topic of catalog.topics)
    subjects.set(`${topic.name}-value`, JSON.stringify(schemas.expand(topic.valueType)));
  if (schemas.types.has(DEAD_LETTER)) {
    for (const group of catalog.groups)
      subjects.set(`${group.name}.dlq-value`, JSON.stringify(schemas.expand(DEAD_LETTER)));
  }
  return subjects;
}

function atCommit(commit: string): Map<string, string> {
  const paths = git(['ls-tree', '-r', '--name-only', commit, 'schemas'])
    .split('\n')
    .filter((p) => p.endsWith('.avsc'));
  const files = paths.map((path) => ({ path, content: git(['show', `${commit}:${path}`]) }));
  return subjectsOf(files, git(['show', `${commit}:schemas/catalog.yaml`]));
}

function workingTree(): Map<string, string> {
  const list = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? list(join(dir, e.name)) : e.name.endsWith('.avsc') ? [join(dir, e.name)] : [],
    );
  const files = list(join(workspaceRoot, 'schemas', 'avro'))
    .sort()
    .map((path) => ({ path: relative(workspaceRoot, path), content: readFileSync(path, 'utf8') }));
  return subjectsOf(files, readFileSync(join(workspaceRoot, 'schemas', 'catalog.yaml'), 'utf8'));
}

function main(): void {
  const sinceIndex = process.argv.indexOf('--since');
  const since = sinceIndex >= 0 ? process.argv[sinceIndex + 1] : undefined;
  const range = since ? [`${since}..HEAD`] : ['HEAD'];
  const commits = git(['rev-list', '--reverse', ...range, '--', 'schemas'])
    .split('\n')
    .filter(Boolean);
  if (since) commits.unshift(git(['rev-parse', since]).trim());
  const histories = new Map<string, string[]>();
  const add = (subjects: Map<string, string>) => {
    for (const [subject, schema] of subjects) {
      const versions = histories.get(subject) ?? [];
      if (versions[versions.length - 1] !== schema) versions.push(schema);
      histories.set(subject, versions);
    }
  };
  let used = 0;
  for (const commit of commits) {
    try {
      add(atCommit(commit));
      used += 1;
    } catch (error) {
      // A commit whose schemas did not compile never reached a registry.
      process.stderr.write(
        `schema history: skipping ${commit.slice(0, 10)}: ${(error as Error).message.split('\n')[0]}\n`,
      );
    }
  }
  add(workingTree());
  process.stdout.write(
    `${JSON.stringify({ commits: used, subjects: [...histories].map(([subject, versions]) => ({ subject, versions })) })}\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
