// ESLint flat config: type-aware rules everywhere, floating promises are errors, workflows stay deterministic.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'generated/**', 'coverage/**', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no clients, no clocks of its own.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not allowed in workflows.' })),
          patterns: [
            {
              group: [
                'mysql2*',
                'mariadb*',
                '@prisma/*',
                'kafkajs',
                'ioredis',
                'etcd3',
                '@elastic/*',
                '@vlasky/*',
                'express',
              ],
              message: 'Workflows reach the outside world only through activities.',
            },
          ],
        },
      ],
    },
  },
  {
    // Outside the sandbox a workflow is reached through its contract (workflows/*-definitions.ts); only the worker
    // bundles (require.resolve of workflows/*-workflows.ts) load implementations.
    files: [
      'api/**/*.ts',
      'activities/**/*.ts',
      'workers/**/*.ts',
      'cli/**/*.ts',
      'lib/**/*.ts',
      'bench/**/*.ts',
      'chaos/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/workflows/*', '!**/workflows/*-definitions'],
              message: 'Import the workflow contract (workflows/*-definitions.ts), not its implementation.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON bodies field by field and assert on them; the assertions are the type check there.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
