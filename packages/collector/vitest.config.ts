import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Two suites drive Chromium (the real callstats.js call, the dashboard): one file at a time,
    // as in @shims/testkit; the machines have two cores.
    fileParallelism: false,
    // The JSON report feeds the pass/fail count that .ci/run prints last.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
