// Debian's simple-whip-server (Meetecho's WHIP endpoint, Janus VideoRoom as its media backend),
// started on loopback for @shims/webrtc's WHIP test and the WHIP reference app.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, startServerProcess } from '../harness/server-process.ts';
import { JANUS_VIDEOROOM_ROOM, type JanusTestServer } from './janus-server.ts';

/**
 * Where the package's files are: `/usr/share/simple-whip-server` when the .deb is installed. The
 * package depends on Debian's `nodejs`, which conflicts with the NodeSource Node these machines
 * run, so apt refuses it: CI unpacks the .deb instead
 * (`apt-get download simple-whip-server && dpkg -x simple-whip-server_*.deb /opt/simple-whip-server`),
 * and runs its code with this Node. SIMPLE_WHIP_SERVER_DIR overrides both.
 */
const WHIP_DIR =
  process.env.SIMPLE_WHIP_SERVER_DIR ??
  ['/usr/share/simple-whip-server', '/opt/simple-whip-server/usr/share/simple-whip-server'].find((dir) =>
    existsSync(join(dir, 'src', 'server.js')),
  ) ??
  '/usr/share/simple-whip-server';

const require = createRequire(import.meta.url);
/**
 * The server's Node dependencies (Debian's node-* packages, which need Debian's nodejs too),
 * from the testkit's dependencies, pinned to Debian bookworm's versions.
 */
const WHIP_SERVER_MODULES = [
  require.resolve('async/package.json'),
  require.resolve('body-parser/package.json'),
  require.resolve('colors/package.json'),
  require.resolve('cors/package.json'),
  require.resolve('debug/package.json'),
  require.resolve('express/package.json'),
  require.resolve('websocket/package.json'),
].map((manifest) => dirname(dirname(manifest)));

export interface WhipTestServer {
  /** The WHIP REST base, e.g. `http://127.0.0.1:P/whip`. */
  readonly base: string;
  /** Creates an endpoint publishing into the VideoRoom; returns its URL for the WHIP client. */
  createEndpoint(id: string): Promise<string>;
  /** What simple-whip-server printed (its info, warning and error lines). */
  whipLog(): string;
  /** What each server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * simple-whip-server pointed at a running Janus (started with `fullTrickle: false`: WHIP cannot
 * trickle the server's candidates), from a config written here. `stop()` stops the WHIP server
 * only; stop Janus after it.
 */
export async function startWhipServer(janus: JanusTestServer): Promise<WhipTestServer> {
  const serverJs = join(WHIP_DIR, 'src', 'server.js');
  if (!existsSync(serverJs)) {
    throw new Error(
      `simple-whip-server not found at ${WHIP_DIR}: unpack Debian's simple-whip-server .deb into /opt/simple-whip-server, or set SIMPLE_WHIP_SERVER_DIR (see .ci/run)`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'shims-whip-'));
  const stops: Array<() => Promise<void>> = [() => rm(dir, { recursive: true, force: true })];
  const stop = async (): Promise<void> => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    // The package's code as installed, with a config of our own (theirs is /etc's, on fixed ports).
    await mkdir(join(dir, 'whip', 'src'), { recursive: true });
    for (const file of ['server.js', 'whip-janus.js']) await copyFile(join(WHIP_DIR, 'src', file), join(dir, 'whip', 'src', file));
    const port = await freePort();
    await writeFile(
      join(dir, 'whip', 'src', 'config.js'),
      `module.exports = { janus: { address: ${JSON.stringify(janus.url)} }, port: ${port}, rest: '/whip', allowTrickle: true, strictETags: false, iceServers: [] };\n`,
    );
    const whip = await startServerProcess({
      command: process.execPath,
      args: [join(dir, 'whip', 'src', 'server.js')],
      env: { NODE_PATH: [...new Set(WHIP_SERVER_MODULES)].join(':'), DEBUG: 'whip:info,whip:warn,whip:error' },
      cwd: join(dir, 'whip'),
      readyWhen: /WHIP REST API listening/,
    });
    stops.push(() => whip.stop());
    const base = `http://127.0.0.1:${port}/whip`;
    return {
      base,
      async createEndpoint(id) {
        const response = await fetch(`${base}/create`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id, room: JANUS_VIDEOROOM_ROOM, label: `shims ${id}` }),
        });
        if (!response.ok) throw new Error(`POST /whip/create: ${response.status} ${await response.text()}`);
        return `${base}/endpoint/${id}`;
      },
      whipLog: () => whip.output.join(''),
      output: () => `janus:\n${janus.output()}\nsimple-whip-server:\n${whip.output.join('')}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
