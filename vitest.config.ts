import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure domain rules: no I/O, fully parallel) and `integration` (real
// Postgres, real Temporal servers, HTTP; shares one database and one dev server per run,
// set up once in test/global-setup.ts).
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/domain/**/*.test.ts', 'test/unit/**/*.test.ts'],
          // Generous: property tests run thousands of cases and the machine may be busy. A timeout
          // is a safety net for a hang, never a speed check.
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/domain/**', 'test/unit/**'],
          globalSetup: ['test/global-setup.ts'],
          setupFiles: ['test/helpers/quiet-runtime.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
