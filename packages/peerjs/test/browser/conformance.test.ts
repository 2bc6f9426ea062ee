import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { describeConformance, type ServerProcess } from '@shims/testkit';
import { startPeerServer } from './peer-server.ts';

// The version matrix: every PeerJS line in the peer dependency range, each on its own page.
const MATRIX = [
  { version: '1.4.7', page: './page-1.4.ts' },
  { version: '1.5.5', page: './page-1.5.ts' },
];

// The suites' second run in CI (SHIMS_CONFORMANCE_RERUN=1, in the second network shape: see the
// README) takes the newest line only: what changes there is the network under the SDK.
const lines = process.env.SHIMS_CONFORMANCE_RERUN === '1' ? MATRIX.slice(-1) : MATRIX;

for (const { version, page } of lines) {
  let server: ServerProcess | undefined;
  describeConformance({
    name: `peerjs ${version} against a real PeerServer`,
    entry: fileURLToPath(new URL(page, import.meta.url)),
    config: async () => {
      const started = await startPeerServer();
      server = started.server;
      return { peerServerPort: started.port };
    },
    teardown: () => server?.stop(),
    collector: createCollector,
    media: { by: 'app', why: 'PeerJS takes the MediaStream the app captured, in call() and answer()' },
  });
}
