import { shimsTestConfig } from '../config/vitest.ts';

// The quick bench runs once, in beforeAll: about 30 s, more on a loaded machine.
export default shimsTestConfig({ realCalls: true, hookTimeoutMs: 240_000 });
