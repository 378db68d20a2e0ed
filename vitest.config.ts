import { configDefaults, defineConfig } from 'vitest/config';

// Coverage (`npm run coverage`, and `npm test`): collected over the unit, integration and web projects in one run.
// Each package has its own threshold; below it the run fails. Thresholds only go up (README, "Test it").
const threshold = (lines: number, branches: number) => ({ lines, branches });
// `expect.poll` gives up after 10 s, not 1 s: suites share a small, loaded machine (a test still fails when it is red).
const expectOptions = { poll: { timeout: 10_000, interval: 25 } };

export default defineConfig({
  test: {
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts', 'apps/web/src/**/*.{ts,tsx}'],
      exclude: ['**/*.test.{ts,tsx}', '**/*.d.ts'],
      reporter: ['text-summary', 'json-summary', 'html'],
      reportsDirectory: 'coverage',
      thresholds: {
        'packages/server/src/**': threshold(80, 80),
        'packages/client/src/**': threshold(80, 80),
        'packages/protocol/src/**': threshold(80, 80),
      },
    },
    projects: [
      {
        test: {
          name: 'unit',
          expect: expectOptions,
          include: ['packages/*/src/**/*.test.ts', 'bench/**/*.test.ts'],
          // The load test's smoke run needs PostgreSQL and real servers: it runs with the integration suites.
          exclude: [...configDefaults.exclude, 'bench/load/test/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          expect: expectOptions,
          include: ['packages/*/test/integration/**/*.test.ts', 'bench/load/test/loadtest-smoke.test.ts'],
          environment: 'node',
          globalSetup: ['packages/server/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Suites create their own databases; files run in parallel workers.
          fileParallelism: true,
        },
      },
      {
        test: {
          name: 'cluster',
          expect: expectOptions,
          // Real processes behind HAProxy, with faults injected: PostgreSQL, Redis, RabbitMQ, HAProxy of its own.
          include: ['packages/server/test/cluster/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['packages/server/test/cluster/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // Web app components in a simulated DOM.
        esbuild: { jsx: 'automatic' },
        test: {
          name: 'web',
          expect: expectOptions,
          include: ['apps/web/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
        },
      },
      {
        // The built web app in Chromium against a real server (playwright-core, Debian's /usr/bin/chromium).
        test: {
          name: 'e2e',
          expect: expectOptions,
          include: ['apps/web/test/e2e/**/*.test.ts'],
          environment: 'node',
          // Builds the web app once for every suite.
          globalSetup: ['apps/web/test/e2e/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
