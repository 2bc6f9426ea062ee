import { shimsTestConfig } from '../config/vitest.ts';

// The page suite opens Chromium and the scaffolder suite builds a package.
export default shimsTestConfig({ realCalls: true, timeoutMs: 120_000 });
