// The one vitest configuration every workspace package runs with; a package's own
// vitest.config.ts only says how it differs (see each `ShimsTestOptions` field).
import { defineConfig, type ViteUserConfig } from 'vitest/config';

export interface ShimsTestOptions {
  /**
   * The package drives real browsers or servers: its files run one at a time (the machines have
   * two cores, and each suite opens a Chromium), with a minute per test and per hook.
   */
  realCalls?: boolean;
  /** Per test and per hook, in ms, where a suite needs longer than `realCalls`' minute. */
  timeoutMs?: number;
  /** Per hook, in ms, where a suite's beforeAll does the heavy work (the quick bench). */
  hookTimeoutMs?: number;
  /** Each file in a child process of its own, for native modules whose exit must not be shared. */
  forks?: boolean;
}

export function shimsTestConfig(options: ShimsTestOptions = {}): ViteUserConfig {
  const timeout = options.timeoutMs ?? (options.realCalls ? 60_000 : undefined);
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      environment: 'node',
      // The JSON report feeds the pass/fail count that .ci/run prints last; a second run of some
      // suites (the conformance suites on another network shape) names its own report.
      reporters: ['default', ['json', { outputFile: `test-results/${process.env.SHIMS_TEST_REPORT ?? 'vitest'}.json` }]],
      ...(options.realCalls ? { fileParallelism: false } : {}),
      ...(timeout !== undefined ? { testTimeout: timeout, hookTimeout: timeout } : {}),
      ...(options.hookTimeoutMs !== undefined ? { hookTimeout: options.hookTimeoutMs } : {}),
      ...(options.forks ? { pool: 'forks' as const } : {}),
    },
  });
}
