import { shimsBuildConfig } from '../../config/tsdown.ts';
import { bundledText } from './build/dashboard-client.ts';

// A Node package: the library entry, the CLI and the SQLite writer thread's module (loaded by
// URL beside the server's chunk, so it is an entry of its own); the dashboard's browser module is
// bundled into the server as text (`?bundle` imports).
export default {
  ...shimsBuildConfig({ entry: ['src/index.ts', 'src/cli.ts', 'src/storage/sqlite-worker.ts'], platform: 'node' }),
  plugins: [bundledText()],
};
