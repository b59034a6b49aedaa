import { defineConfig } from 'vitest/config';

// Three projects: `unit` (pure domain rules: no I/O, fully parallel), `integration` (real
// Postgres, real Temporal servers, HTTP; shares one database and one dev server per run,
// set up once in test/global-setup.ts) and `resilience` (test/resilience: killed workers,
// restarted servers, provider faults, caps under load; minutes long, so `npm test` leaves it to
// `npm run test:resilience`, see scripts/test.sh).
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
          exclude: ['test/domain/**', 'test/unit/**', 'test/resilience/**'],
          globalSetup: ['test/global-setup.ts'],
          setupFiles: ['test/helpers/quiet-runtime.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'resilience',
          include: ['test/resilience/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          setupFiles: ['test/resilience/quiet-runtime.ts'],
          // One file at a time: each loads the machine on its own (hundreds of workflows, servers).
          fileParallelism: false,
          testTimeout: 900_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
