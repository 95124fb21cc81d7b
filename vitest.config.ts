import { defineConfig } from 'vitest/config';

/**
 * One run, four projects: fast unit tests beside the code; CMS integration tests against an in-process
 * Strapi on SQLite and again on PostgreSQL; portal end-to-end tests in headless Chromium against the
 * production build. `npm test` (scripts/test.ts) builds first and prints the closing summary line.
 */
const integration = (db: 'sqlite' | 'postgres') => ({
  test: {
    name: `integration-${db}`,
    include: ['cms/tests/**/*.test.ts'],
    env: { CANDOR_TEST_DB: db },
    // Each file boots its own Strapi (~250 MB): forks keep them apart; the harness restores the
    // process listeners strapi.destroy() removes.
    pool: 'forks' as const,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});

export default defineConfig({
  test: {
    // Strapi boots and a browser are heavy for 2 cores: one file at a time keeps timings honest.
    fileParallelism: false,
    reporters: ['default', './scripts/test/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['plugins/*/src/**/*.test.ts', 'portal/src/**/*.test.ts', 'scripts/**/*.test.ts', 'cms/src/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      integration('sqlite'),
      integration('postgres'),
      {
        test: {
          name: 'e2e',
          include: ['portal/e2e/**/*.test.ts'],
          globalSetup: ['portal/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
