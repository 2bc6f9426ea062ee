import { shimsBuildConfig } from '../../config/tsdown.ts';

// A Node package: the library entry and the CLI.
export default shimsBuildConfig({ entry: ['src/index.ts', 'src/cli.ts'], platform: 'node' });
