import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The JSON report feeds the pass/fail count that .ci/run prints last.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    // The quick bench runs once, in beforeAll: about 30 s, more on a loaded machine.
    hookTimeout: 240_000,
  },
});
