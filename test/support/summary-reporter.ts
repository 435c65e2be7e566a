/**
 * Prints one closing line, "N passed, N failed, N skipped", and per browser how many e2e tests
 * ran. In CI, a skipped or todo test fails the run: a browser test that did not run has not passed.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0, failed = 0, skipped = 0;
    const perBrowser: Record<string, number> = {};
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
        const b = /test\/e2e\/(\w+)\//.exec(m.moduleId)?.[1];
        if (b && state === 'passed') perBrowser[b] = (perBrowser[b] ?? 0) + 1;
      }
    }
    const browsers = Object.entries(perBrowser).map(([b, n]) => `${b} ${n}`).join(', ');
    if (browsers) console.log(`e2e tests passed per browser: ${browsers}`);
    console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
    if (process.env.CI && skipped > 0) {
      console.log('CI: skipped tests count as failures here');
      process.exitCode = 1;
    }
  }
}
