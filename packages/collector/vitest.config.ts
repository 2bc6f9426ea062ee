import { shimsTestConfig } from '../../config/vitest.ts';

// Two suites drive Chromium (the real callstats.js call, the dashboard).
export default shimsTestConfig({ realCalls: true });
