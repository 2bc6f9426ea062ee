import { shimsTestConfig } from '../../config/vitest.ts';

// test/node loads the @roamhq/wrtc native module, whose exit must not share a process with other files.
export default shimsTestConfig({ realCalls: true, forks: true });
