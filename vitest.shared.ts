import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import type { UserWorkspaceConfig } from 'vitest/config';

/** `after-e2e`: checks over what the e2e tests left (their logs), run once every e2e test has finished. */
export type TestKind = 'unit' | 'integration' | 'e2e' | 'after-e2e';

export interface ProjectTestOptions {
  /** Nx project name. */
  name: string;
  kind: TestKind;
}

const SOURCE_CONDITION = '@pardot-x3/source';
const CONDITIONS = [SOURCE_CONDITION, 'module', 'node', 'development|production'];
const STACK_GLOBAL_SETUP = fileURLToPath(
  new URL('./libs/testing/harness/src/stack-global-setup.ts', import.meta.url),
);
const SWCRC = fileURLToPath(new URL('./.swcrc', import.meta.url));

const INCLUDE: Record<TestKind, string[]> = {
  unit: ['{src,test}/**/*.spec.ts'],
  integration: ['{src,test}/**/*.int-spec.ts'],
  e2e: ['{src,test}/**/*.e2e-spec.ts'],
  'after-e2e': ['{src,test}/**/*.after-e2e-spec.ts'],
};

const GROUP_ORDER: Record<TestKind, number> = { unit: 0, integration: 1, e2e: 2, 'after-e2e': 3 };

/**
 * Shared per-project test configuration: SWC for decorator metadata (NestJS, TypeORM), workspace
 * libraries resolved to their TypeScript sources, unit tests in parallel, and infrastructure tests one
 * file at a time against the real local stack (started once per run by the global setup).
 */
export function projectTestConfig({ name, kind }: ProjectTestOptions): UserWorkspaceConfig {
  const infra = kind === 'integration' || kind === 'e2e';
  return {
    plugins: [swc.vite({ swcrc: false, configFile: SWCRC })],
    resolve: { conditions: CONDITIONS },
    ssr: { resolve: { conditions: CONDITIONS } },
    test: {
      name: kind === 'unit' ? name : `${name}#${kind}`,
      include: INCLUDE[kind],
      exclude:
        kind === 'unit'
          ? ['**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/node_modules/**', '**/dist/**']
          : ['**/node_modules/**', '**/dist/**'],
      environment: 'node',
      globals: false,
      testTimeout: kind === 'unit' ? 15_000 : kind === 'e2e' ? 900_000 : 180_000,
      hookTimeout: kind === 'unit' ? 15_000 : 600_000,
      teardownTimeout: 60_000,
      fileParallelism: !infra,
      maxWorkers: infra ? 1 : undefined,
      globalSetup: infra ? [STACK_GLOBAL_SETUP] : [],
      sequence: { groupOrder: GROUP_ORDER[kind] },
    },
  };
}
