// Debian's `janus` and `simple-whip-server` (Meetecho's WHIP endpoint, Janus VideoRoom as its media
// backend), started on loopback for the WHIP publish and janus.js tests.
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { networkInterfaces, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, startServerProcess, type ServerProcess } from '@shims/testkit';

const JANUS = process.env.JANUS_PATH ?? '/usr/bin/janus';
const JANUS_LIBS = process.env.JANUS_LIB_DIR ?? '/usr/lib/x86_64-linux-gnu/janus';
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
/** The VideoRoom room the WHIP endpoints publish into. */
const ROOM = 1234;

const require = createRequire(import.meta.url);
/**
 * The server's Node dependencies (Debian's node-* packages, which need Debian's nodejs too),
 * from this package's devDependencies, pinned to Debian bookworm's versions.
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

/** Debian's Janus on 127.0.0.1 (WebSockets; the VideoRoom and EchoTest plugins), with a config written into `dir`. */
async function startJanusIn(dir: string): Promise<{ url: string; server: ServerProcess }> {
  for (const sub of ['plugins', 'transports', 'events', 'loggers']) await mkdir(join(dir, sub));
  await symlink(`${JANUS_LIBS}/plugins/libjanus_videoroom.so`, join(dir, 'plugins', 'libjanus_videoroom.so'));
  await symlink(`${JANUS_LIBS}/plugins/libjanus_echotest.so`, join(dir, 'plugins', 'libjanus_echotest.so'));
  await symlink(`${JANUS_LIBS}/transports/libjanus_websockets.so`, join(dir, 'transports', 'libjanus_websockets.so'));
  const port = await freePort();
  // Janus skips loopback interfaces: in the CI namespace it gathers on the veth jv0 (127.0.0.2).
  // Not full_trickle: WHIP has no way to trickle the server's candidates, they go in the answer.
  const iceInterface = networkInterfaces().jv0 ? 'jv0' : null;
  const files: Record<string, string> = {
    'janus.jcfg': `general: {
  configs_folder = "${dir}"
  plugins_folder = "${dir}/plugins"
  transports_folder = "${dir}/transports"
  events_folder = "${dir}/events"
  loggers_folder = "${dir}/loggers"
  debug_level = 4
  hide_dependencies = true
}
media: { ipv6 = false }
nat: { full_trickle = false, ignore_mdns = true${iceInterface ? `, ice_enforce_list = "${iceInterface}"` : ''} }
events: { broadcast = false }
`,
    'janus.plugin.echotest.jcfg': 'general: {}\n',
    'janus.plugin.videoroom.jcfg': `general: {}\nroom-${ROOM}: { description = "whip", publishers = 16, audiocodec = "opus", videocodec = "vp8" }\n`,
    'janus.transport.websockets.jcfg': `general: { json = "indented", ws = true, ws_port = ${port}, ws_ip = "127.0.0.1", wss = false }\nadmin: { admin_ws = false, admin_wss = false }\n`,
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const server = await startServerProcess({
    command: JANUS,
    args: ['-C', join(dir, 'janus.jcfg'), '-F', dir, '-o'],
    readyWhen: /WebSockets transport plugin initialized/,
  });
  return { url: `ws://127.0.0.1:${port}`, server };
}

export interface JanusServer {
  /** The WebSocket URL, e.g. `ws://127.0.0.1:P`. */
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startJanus(): Promise<JanusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'shims-janus-'));
  try {
    const janus = await startJanusIn(dir);
    return {
      url: janus.url,
      output: () => janus.server.output.join(''),
      async stop() {
        await janus.server.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export interface WhipServers {
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

/** simple-whip-server pointed at a running Janus, from a config written here. */
export async function startWhipServer(janus: JanusServer): Promise<WhipServers> {
  const serverJs = join(WHIP_DIR, 'src', 'server.js');
  if (!existsSync(serverJs)) {
    throw new Error(
      `simple-whip-server not found at ${WHIP_DIR}: unpack Debian's simple-whip-server .deb into /opt/simple-whip-server, or set SIMPLE_WHIP_SERVER_DIR (see test/whip-server.ts)`,
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
      // The testkit's process starter takes no environment: `env` sets NODE_PATH for this one.
      command: 'env',
      args: [
        `NODE_PATH=${[...new Set(WHIP_SERVER_MODULES)].join(':')}`,
        'DEBUG=whip:info,whip:warn,whip:error',
        process.execPath,
        join(dir, 'whip', 'src', 'server.js'),
      ],
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
          body: JSON.stringify({ id, room: ROOM, label: `shims ${id}` }),
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
