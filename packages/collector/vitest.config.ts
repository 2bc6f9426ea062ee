import { shimsTestConfig } from '../../config/vitest.ts';
import { bundledText } from './build/dashboard-client.ts';

// Two suites drive Chromium (the real callstats.js call, the dashboard). The tests load the
// sources, so the dashboard's browser module is bundled here as it is by tsdown.
export default { ...shimsTestConfig({ realCalls: true }), plugins: [bundledText()] };
