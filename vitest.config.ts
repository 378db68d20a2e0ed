import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'bench/**/*.test.ts'],
          // The load test's smoke run needs PostgreSQL and real servers: it runs with the integration suites.
          exclude: [...configDefaults.exclude, 'bench/load/test/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
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
          include: ['apps/web/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
        },
      },
      {
        // The built web app in Chromium against a real server (playwright-core, Debian's /usr/bin/chromium).
        test: {
          name: 'e2e',
          include: ['apps/web/test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
