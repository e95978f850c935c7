import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import type { UserWorkspaceConfig } from 'vitest/config';

export type TestKind = 'unit' | 'integration' | 'e2e';

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
};

/**
 * Shared per-project test configuration: SWC for decorator metadata (NestJS, TypeORM), workspace
 * libraries resolved to their TypeScript sources, unit tests in parallel, and infrastructure tests one
 * file at a time against the real local stack (started once per run by the global setup).
 */
export function projectTestConfig({ name, kind }: ProjectTestOptions): UserWorkspaceConfig {
  const infra = kind !== 'unit';
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
      testTimeout: kind === 'unit' ? 15_000 : kind === 'integration' ? 180_000 : 900_000,
      hookTimeout: kind === 'unit' ? 15_000 : 600_000,
      teardownTimeout: 60_000,
      fileParallelism: !infra,
      maxWorkers: infra ? 1 : undefined,
      globalSetup: infra ? [STACK_GLOBAL_SETUP] : [],
      sequence: { groupOrder: kind === 'unit' ? 0 : kind === 'integration' ? 1 : 2 },
    },
  };
}
