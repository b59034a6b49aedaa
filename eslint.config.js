// Lint: TypeScript rules, plus the workflow sandbox boundary: workflows/ may import only
// @temporalio/workflow, domain/ and workflows/ itself (contracts.ts and sibling workflows);
// type-only imports (e.g. of activity factories for proxyActivities) are erased and allowed.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'generated/**', '.data/**', '.tools/**', 'tmp/**', 'dist/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!@temporalio/workflow$|\\.\\./domain/|\\./).*',
              allowTypeImports: true,
              message:
                'Workflow code runs in the deterministic sandbox: import only @temporalio/workflow, ../domain/* and ./ (workflows/contracts.ts). Use `import type` for activity types.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(node:.*|fs|path|crypto|http|https|net|child_process|pg|@prisma/.*|@temporalio/.*|\\.\\./(db|api|activities|providers|workflows|config)/.*)$',
              message: 'domain/ is pure: no I/O, no Temporal, no database, no configuration loading.',
            },
          ],
        },
      ],
    },
  },
);
