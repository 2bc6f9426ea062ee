import { shimsBuildConfig } from '../../config/tsdown.ts';
import { bundledText } from './build/dashboard-client.ts';

// A Node package: the library entry and the CLI; the dashboard's browser module is bundled into
// the server as text (`?bundle` imports).
export default { ...shimsBuildConfig({ entry: ['src/index.ts', 'src/cli.ts'], platform: 'node' }), plugins: [bundledText()] };
