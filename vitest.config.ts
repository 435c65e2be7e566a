import { defineConfig } from 'vitest/config';

/**
 * `unit`: pure logic, no browser. `e2e`: the built extension in real Chromium and Firefox; these
 * run one file at a time (each launches a browser, and the machines have 2 cores) and never skip.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
          maxWorkers: 1,
          retry: 0,
        },
      },
    ],
  },
});
