import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort, startServerProcess, type ServerProcess } from '@shims/testkit';

const require = createRequire(import.meta.url);

/** PeerJS's real PeerServer (npm `peer`, pinned in bench/package.json) on 127.0.0.1, as a child process. */
export async function startPeerServer(): Promise<{ port: number; server: ServerProcess }> {
  const port = await freePort();
  // The package's exports hide its bin script: it sits beside the resolved entry.
  const bin = join(dirname(require.resolve('peer')), 'bin', 'peerjs.js');
  const server = await startServerProcess({
    command: process.execPath,
    args: [bin, '--host', '127.0.0.1', '--port', String(port), '--key', 'peerjs', '--path', '/'],
    readyWhen: /Started PeerServer/,
  });
  return { port, server };
}
