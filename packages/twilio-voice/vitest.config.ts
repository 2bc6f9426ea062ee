import { shimsTestConfig } from '../../config/vitest.ts';

export default shimsTestConfig({ realCalls: true });
