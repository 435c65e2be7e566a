import { defineConfig } from 'vitest/config';

/**
 * `npm run bench` (through bench/run.mjs): one file, one worker, no retries, no file parallelism;
 * a benchmark sharing 2 cores with itself would measure itself. Timeouts are per section.
 */
export default defineConfig({
  test: {
    include: ['bench/**/*.bench-run.ts'],
    environment: 'node',
    fileParallelism: false,
    maxWorkers: 1,
    retry: 0,
    testTimeout: 600_000,
    hookTimeout: 60_000,
    // Progress lines go straight to stderr, not held back and labelled per test.
    disableConsoleIntercept: true,
  },
});
