import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { projectTestConfig, type TestKind } from './vitest.shared.js';

/**
 * One test runner for every Nx project. Each project contributes up to three vitest projects:
 *   <name>               unit tests        (*.spec.ts; no infrastructure; run in parallel)
 *   <name>#integration   integration tests (*.int-spec.ts; real Kafka, registry, PostgreSQL)
 *   <name>#e2e           end-to-end tests  (*.e2e-spec.ts; services as separate OS processes)
 *   <name>#after-e2e     checks of what the e2e tests left, e.g. their logs (*.after-e2e-spec.ts; last)
 * `nx test <name>` runs all three for one project; `./pardot-x3 test` runs everything.
 */
const PROJECT_PARENTS = [
  'apps',
  'libs/platform',
  'libs/contracts',
  'libs/domain',
  'libs/connectors',
  'libs/sandbox',
  'libs/ops',
  'libs/testing',
  'tests',
];
const SUFFIX: Record<TestKind, RegExp> = {
  unit: /(?<!int-|e2e-)spec\.ts$/,
  integration: /\.int-spec\.ts$/,
  e2e: /\.e2e-spec\.ts$/,
  'after-e2e': /\.after-e2e-spec\.ts$/,
};

function projectDirs(): string[] {
  const dirs: string[] = [];
  for (const parent of PROJECT_PARENTS) {
    if (!existsSync(parent)) continue;
    if (existsSync(join(parent, 'project.json'))) dirs.push(parent);
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(parent, entry.name, 'project.json')))
        dirs.push(join(parent, entry.name));
    }
  }
  return dirs;
}

function hasTests(dir: string, pattern: RegExp): boolean {
  const walk = (d: string): boolean =>
    readdirSync(d, { withFileTypes: true }).some((e) =>
      e.isDirectory()
        ? e.name !== 'node_modules' && e.name !== 'dist' && walk(join(d, e.name))
        : pattern.test(e.name),
    );
  return walk(dir);
}

const projects: TestProjectInlineConfiguration[] = [];
for (const dir of projectDirs()) {
  const { name } = JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8')) as { name: string };
  for (const kind of Object.keys(SUFFIX) as TestKind[]) {
    if (hasTests(dir, SUFFIX[kind])) projects.push({ ...projectTestConfig({ name, kind }), root: dir });
  }
}

export default defineConfig({ test: { projects } });
