import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The JSON report feeds the pass/fail count that .ci/run prints last.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    environment: 'node',
    // Browser suites run one at a time: the machines have two cores.
    fileParallelism: false,
    // Each file in a child process of its own (vitest's default, stated): test/node loads the
    // @roamhq/wrtc native module, whose exit must not share a process with other files.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
