import { defineConfig } from 'vitest/config';

/**
 * `unit`: pure logic, no browser. `protocols`: decoders on real protocol traffic, in Node. `e2e`: the built extension in real Chromium and Firefox; these
 * run one file at a time (each launches a browser, and the machines have 2 cores) and never skip.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      // Protocol decoders fed with frames that real client libraries exchange with real servers on 127.0.0.1.
      { test: { name: 'protocols', include: ['test/protocols/**/*.test.ts'], environment: 'node', testTimeout: 30_000, hookTimeout: 30_000 } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          // Waits poll on a timer, not on animation frames that stop in a page off screen.
          setupFiles: ['test/support/e2e-setup.ts'],
          environment: 'node',
          // Generous, for a shared machine with other work running: tests wait on conditions, and
          // these bounds only stop a test that would never finish.
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          maxWorkers: 1,
          retry: 0,
        },
      },
    ],
  },
});
